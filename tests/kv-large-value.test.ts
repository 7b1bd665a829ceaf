import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
const MAX = 25 * 1024 * 1024;

it("streams a 25 MiB value in and out without ever holding it whole, and counts an over-limit stream", async () => {
  const root = await mkdtemp(join(tmpdir(), "cellar-kv-large-"));
  try {
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ["--expose-gc", "--import", "tsx", "--conditions=@cellar/source", join(here, "support", "kv-large-value-child.ts"), root],
        { cwd: here, stdio: ["ignore", "pipe", "pipe"] },
      );
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      child.on("error", reject);
      child.on("close", (code) => (code === 0 ? resolve(stdout) : reject(new Error(`child exited with ${code}: ${stderr}`))));
    });
    const report = JSON.parse(output.trim().split("\n").pop()!) as {
      putHash: string;
      getHash: string;
      bytesRead: number;
      peak: number;
      overLimitMessage: string;
      files: number;
    };
    expect(report.bytesRead).toBe(MAX);
    expect(report.getHash).toBe(report.putHash);
    // Far below the 25 MiB value: only a few chunks are alive at any time.
    expect(report.peak).toBeLessThan(12 * 1024 * 1024);
    expect(report.overLimitMessage).toBe(`KV PUT failed: 413 Value length of ${MAX + 1} exceeds limit of ${MAX}.`);
    expect(report.files).toBe(1);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}, 60_000);
