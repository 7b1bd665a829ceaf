import { readdirSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { unlinkWithRetry, type UnlinkRetryOptions } from "@cellar/blob-store";

/**
 * The files of the objects in a namespace directory (spec O4): `<id>.sqlite`, `<id>.<n>.sqlite`
 * (facets) with their `-wal`/`-shm`/`-journal` companions and the wasm engine's leftover
 * `.cellar-tmp-…` images, and `<id>.facets`. `metadata.sqlite` (the schedule) is not one of them.
 */
export const OBJECT_FILE = /^[0-9a-f]{64}(?:(?:\.\d+)?\.sqlite(?:-wal|-shm|-journal|\.cellar-tmp-[0-9a-f]+)?|\.facets)$/;

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

/** The names of the object files in `directory` (none when it does not exist), read synchronously. */
export function objectFileNamesSync(directory: string): string[] {
  let names: string[];
  try {
    names = readdirSync(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  return names.filter((name) => OBJECT_FILE.test(name)).sort();
}

/**
 * Deletes every file, one after the other, each with {@link unlinkWithRetry}; a file that cannot
 * be deleted does not stop the others. `onDeleted` is told after each file that is gone (with how
 * many are gone so far). Throws one AggregateError naming every file that is left.
 */
export async function deleteFiles(paths: readonly string[], options?: UnlinkRetryOptions, onDeleted?: (path: string, deleted: number) => void): Promise<void> {
  const failed: { path: string; error: unknown }[] = [];
  let deleted = 0;
  for (const path of paths) {
    try {
      await unlinkWithRetry(path, options);
    } catch (error) {
      failed.push({ path, error });
      continue;
    }
    onDeleted?.(path, ++deleted);
  }
  if (failed.length > 0) {
    throw new AggregateError(
      failed.map(({ path, error }) => new Error(`Cannot delete ${path}: ${(error as Error).message ?? String(error)}`, { cause: error })),
      `deleteAll() could not delete ${failed.length} file(s): ${failed.map(({ path }) => path).join(", ")}`,
    );
  }
}
