import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { unlinkWithRetry, type UnlinkRetryOptions } from "./unlink-retry.js";

/**
 * The files of the objects in a namespace directory (spec O4): `<id>.sqlite`, `<id>.<n>.sqlite`
 * (facets) with their `-wal`/`-shm`/`-journal` companions and the wasm engine's leftover
 * `.cellar-tmp-…` images, and `<id>.facets`. `metadata.sqlite` (the schedule) is not one of them.
 */
const OBJECT_FILE = /^[0-9a-f]{64}(?:(?:\.\d+)?\.sqlite(?:-wal|-shm|-journal|\.cellar-tmp-[0-9a-f]+)?|\.facets)$/;

/** The object files in `directory` (none when it does not exist), as full paths. */
export async function objectFiles(directory: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  return names.filter((name) => OBJECT_FILE.test(name)).map((name) => join(directory, name));
}

/**
 * Deletes every file, each with {@link unlinkWithRetry}; a file that cannot be deleted does not
 * stop the others. Throws one AggregateError naming every file that is left.
 */
export async function deleteFiles(paths: readonly string[], options?: UnlinkRetryOptions): Promise<void> {
  const results = await Promise.allSettled(paths.map((path) => unlinkWithRetry(path, options)));
  const failed = paths.flatMap((path, i) => {
    const result = results[i];
    return result?.status === "rejected" ? [{ path, error: result.reason as unknown }] : [];
  });
  if (failed.length > 0) {
    throw new AggregateError(
      failed.map(({ path, error }) => new Error(`Cannot delete ${path}: ${(error as Error).message ?? String(error)}`, { cause: error })),
      `deleteAll() could not delete ${failed.length} file(s): ${failed.map(({ path }) => path).join(", ")}`,
    );
  }
}
