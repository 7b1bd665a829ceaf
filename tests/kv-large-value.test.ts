import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { runTsx } from "./support/spawn-tsx.ts";

const here = dirname(fileURLToPath(import.meta.url));
const MAX = 25 * 1024 * 1024;

it("streams a 25 MiB value in and out without ever holding it whole, and counts an over-limit stream", async () => {
  const root = await mkdtemp(join(tmpdir(), "cellar-kv-large-"));
  try {
    // --expose-gc: the child collects garbage before each memory sample, so its peak is what is live.
    const child = await runTsx(join(here, "support", "kv-large-value-child.ts"), [root], { cwd: here, nodeFlags: ["--expose-gc"] });
    if (child.code !== 0) throw new Error(`child exited with ${child.code}: ${child.stderr}`);
    const report = JSON.parse(child.stdout.trim().split("\n").pop()!) as {
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
