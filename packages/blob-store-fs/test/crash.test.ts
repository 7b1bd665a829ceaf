import { spawn } from "node:child_process";
import { readdir, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { PARTIAL_WRITE_PREFIX, createFsBlobStore } from "../src/index.ts";
import { useTempDirs } from "./temp-dir.ts";

const child = fileURLToPath(new URL("./fixtures/crash-mid-write.ts", import.meta.url));
// The child runs the TypeScript sources, as the tests do, through tsx's loader.
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

/** Polls `root` until it holds a partial write of at least `size` bytes; returns its name. */
async function waitForPartialWrite(root: string, size: number): Promise<string> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    for (const name of await readdir(root).catch(() => [])) {
      if (name.startsWith(PARTIAL_WRITE_PREFIX) && (await stat(join(root, name))).size >= size) return name;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error("the child never wrote its partial blob");
}

describe("createFsBlobStore: a process killed mid-write", () => {
  const tempDir = useTempDirs();

  it("leaves only a partial write, which sweep removes", async () => {
    const root = join(await tempDir(), "blobs");
    const process_ = spawn(process.execPath, ["--import", tsxLoader, "--conditions=@cellar/source", child, root], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    process_.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => process_.on("exit", (_code, signal) => resolve(signal)));
    try {
      const partial = await waitForPartialWrite(root, 256 * 1024);
      process_.kill("SIGKILL");
      expect(await exited, stderr).toBe("SIGKILL");
      expect(await readdir(root)).toEqual([partial]);
      expect(partial).toMatch(/^\.partial-[0-9a-f]{80}-interrupted$/);

      // A later process sweeps it once it is older than the grace period.
      const later = createFsBlobStore({ root, clock: { now: () => Date.now() + 60 * 60 * 1000 } });
      expect(await later.sweep({ olderThan: Date.now() - 60 * 60 * 1000, isReferenced: () => false })).toEqual({
        deletedBlobs: 0,
        deletedPartials: 0,
        freedBytes: 0,
      });
      expect(await later.sweep({ olderThan: Date.now() + 1000, isReferenced: () => false })).toEqual({
        deletedBlobs: 0,
        deletedPartials: 1,
        freedBytes: 256 * 1024,
      });
      expect(await readdir(root)).toEqual([]);
    } finally {
      process_.kill("SIGKILL");
    }
  });
});
