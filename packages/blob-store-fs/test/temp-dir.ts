import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterEach } from "vitest";

/** A fresh temp directory per call, removed after the test that made it. */
export function useTempDirs(): () => Promise<string> {
  const made: string[] = [];
  afterEach(async () => {
    await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return async () => {
    const dir = await mkdtemp(join(tmpdir(), "cellar-fs-test-"));
    made.push(dir);
    return dir;
  };
}

/** Every path under `dir` (relative, `/`-separated, directories marked with a trailing `/`), sorted. */
export async function listTree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  const listed = await Promise.all(
    entries.map(async (entry) => {
      const path = join(dir, entry);
      const isDirectory = (await stat(path)).isDirectory();
      return relative(dir, path).split("\\").join("/") + (isDirectory ? "/" : "");
    }),
  );
  return listed.sort();
}
