import { statSync, unlinkSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { SqlError } from "./errors.js";

/** The location that means "a private in-memory database, no file". */
export const MEMORY_LOCATION = ":memory:";

/** Companion files SQLite may keep next to a database: WAL, its shared-memory index, a rollback journal. */
export const DATABASE_FILE_SUFFIXES: readonly string[] = ["", "-wal", "-shm", "-journal"];

/**
 * Throw `ERR_SQL_IO` unless `location`'s directory exists. Engines call it before opening so the
 * user gets "directory does not exist" instead of SQLite's vague "unable to open database file";
 * cellar never creates directories on its own.
 */
export function assertDatabaseDirectory(location: string): void {
  const directory = dirname(resolve(location));
  let isDirectory = false;
  try {
    isDirectory = statSync(directory).isDirectory();
  } catch (error) {
    throw new SqlError("ERR_SQL_IO", `Cannot open database ${location}: directory ${directory} does not exist`, {
      cause: error,
    });
  }
  if (!isDirectory) {
    throw new SqlError("ERR_SQL_IO", `Cannot open database ${location}: ${directory} is not a directory`);
  }
}

/**
 * Delete a database file and its companions ({@link DATABASE_FILE_SUFFIXES}, plus `extraPaths`).
 * Missing files are fine; other failures throw `ERR_SQL_IO`. `":memory:"` has no files.
 */
export function removeDatabaseFiles(location: string, extraPaths: readonly string[] = []): void {
  if (location === MEMORY_LOCATION) return;
  const paths = [...DATABASE_FILE_SUFFIXES.map((suffix) => location + suffix), ...extraPaths];
  for (const path of paths) {
    try {
      unlinkSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") continue;
      throw new SqlError("ERR_SQL_IO", `Cannot remove ${path}: ${(error as Error).message}`, { cause: error });
    }
  }
}
