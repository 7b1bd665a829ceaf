import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Runs `run` on a fresh directory under the system temp directory and removes it afterwards,
 * whether `run` passed or threw. `prefix` names the test in the directory's name, so a directory
 * left behind by a killed run says where it came from.
 */
export async function withTempDir<T>(prefix: string, run: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  try {
    return await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
