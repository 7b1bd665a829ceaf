import { resolve } from "node:path";
import { SqlError } from "@cellar/metadata-store";

/** What the registry needs from an open file-backed database. */
export interface OpenFile {
  /** Close, writing committed changes that are not in the file yet. */
  close(): void;
}

interface Registry {
  readonly files: Map<string, OpenFile>;
  exitHooked: boolean;
}

/**
 * Shared through `globalThis` so two copies of this package in one process (or test files with
 * isolated module graphs) still see each other's open files.
 */
const registry: Registry = ((globalThis as Record<symbol, Registry | undefined>)[
  Symbol.for("@cellar/metadata-store-wasm/open-files")
] ??= { files: new Map(), exitHooked: false });

/**
 * Register `file` as the only in-process connection to `path`.
 *
 * sql.js keeps the whole database in memory and writes it back as a whole, so two connections
 * to one file would each overwrite the other's commits. A second open is refused instead.
 * The first registration also installs an `exit` hook that closes (and so writes) every database
 * still open when the process exits normally, as native SQLite would have them on disk already.
 */
export function claimFile(path: string, file: OpenFile): () => void {
  assertNotOpen(path);
  const key = resolve(path);
  registry.files.set(key, file);
  if (!registry.exitHooked) {
    registry.exitHooked = true;
    process.on("exit", closeAllOnExit);
  }
  return () => {
    if (registry.files.get(key) === file) registry.files.delete(key);
  };
}

/** Throw `ERR_SQL_MISUSE` if `path` is already open through the wasm engine in this process. */
export function assertNotOpen(path: string): void {
  if (isFileOpen(path)) {
    throw new SqlError(
      "ERR_SQL_MISUSE",
      `${path} is already open through the wasm engine in this process. sql.js keeps the database in memory ` +
        "and writes it back whole, so a second connection would overwrite the first one's commits; share one connection.",
    );
  }
}

/** True when `path` is open through the wasm engine in this process. */
export function isFileOpen(path: string): boolean {
  return registry.files.has(resolve(path));
}

function closeAllOnExit(): void {
  for (const file of [...registry.files.values()]) {
    try {
      file.close();
    } catch {
      // Exiting: there is no caller left to report to, and the other files still deserve their write.
    }
  }
}
