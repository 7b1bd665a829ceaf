import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, readSync, renameSync, statSync, unlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { sanitisePath } from "@cellar/blob-store";
import { objectDatabasePath, type ProductName } from "@cellar/metadata-store";

/** Where a migration reports: a failure is a warning (startup continues), a skip is a debug line. */
export interface MigrationLogger {
  warn(message: string): void;
  debug?(message: string): void;
}

/** Suffix of the copies made before they are renamed into place; not `.sqlite`, so nothing takes them for a database. */
const COPY_SUFFIX = ".cellar-migrating";

function fsyncPath(path: string): void {
  const descriptor = openSync(path, "r");
  try {
    fsyncSync(descriptor);
  } catch (error) {
    // Directories cannot be fsynced on a few file systems (and never on Windows): nothing more to do there.
    if ((error as NodeJS.ErrnoException).code !== "EINVAL" && (error as NodeJS.ErrnoException).code !== "EISDIR") throw error;
  } finally {
    closeSync(descriptor);
  }
}

/** Whether two files hold the same bytes, read in chunks so a large database is never held whole. */
function sameBytes(a: string, b: string): boolean {
  if (statSync(a).size !== statSync(b).size) return false;
  const left = openSync(a, "r");
  const right = openSync(b, "r");
  try {
    const leftChunk = Buffer.alloc(1 << 20);
    const rightChunk = Buffer.alloc(1 << 20);
    for (;;) {
      const read = readSync(left, leftChunk, 0, leftChunk.length, null);
      if (readSync(right, rightChunk, 0, rightChunk.length, null) !== read) return false;
      if (read === 0) return true;
      if (!leftChunk.subarray(0, read).equals(rightChunk.subarray(0, read))) return false;
    }
  } finally {
    closeSync(left);
    closeSync(right);
  }
}

/** Copies `from` beside `to`, checks the copy byte for byte and flushes it; returns the copy's path. */
function verifiedCopy(from: string, to: string): string {
  const copy = `${to}${COPY_SUFFIX}`;
  copyFileSync(from, copy);
  fsyncPath(copy);
  if (!sameBytes(from, copy)) throw new Error(`the copy of ${from} differs from the original`);
  return copy;
}

function unlinkIfPresent(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}

/**
 * Moves a KV namespace's, R2 bucket's or D1 database's database from the layout of older
 * Miniflare (`<root>/<product>/<sanitisePath(name)>/db.sqlite`, plus `-wal`) to the current one
 * (`<root>/<product>/miniflare-<Class>/<id>.sqlite`), as Miniflare does at startup, but safely:
 * an existing target is never overwritten, and the old files are removed only after both copies
 * were verified and renamed into place. Copies are made under temporary names and renamed
 * WAL first, so an interruption leaves either the old files alone or a complete target (a WAL
 * renamed without its database is replaced when the migration runs again). A failure is logged
 * as Miniflare logs it and never stops the caller. Returns whether the database was migrated.
 */
export function migrateLegacyDatabase(root: string, product: Exclude<ProductName, "cache">, name: string, logger: MigrationLogger): boolean {
  const legacy = join(root, product, sanitisePath(name), "db.sqlite");
  if (!existsSync(legacy)) return false;
  const target = objectDatabasePath(root, product, name);
  if (existsSync(target)) {
    logger.debug?.(`Not migrating ${legacy} to ${target} as it already exists`);
    return false;
  }
  try {
    mkdirSync(dirname(target), { recursive: true });
    const legacyWal = `${legacy}-wal`;
    const hasWal = existsSync(legacyWal);
    const databaseCopy = verifiedCopy(legacy, target);
    const walCopy = hasWal ? verifiedCopy(legacyWal, `${target}-wal`) : undefined;
    // Nothing of an interrupted earlier attempt may pair with the new database: SQLite would
    // replay a stray WAL into it. There is no target database yet, so these are strays.
    unlinkIfPresent(`${target}-shm`);
    if (walCopy === undefined) unlinkIfPresent(`${target}-wal`);
    else renameSync(walCopy, `${target}-wal`);
    renameSync(databaseCopy, target);
    fsyncPath(dirname(target));
    unlinkSync(legacy);
    if (hasWal) unlinkIfPresent(legacyWal);
    return true;
  } catch (error) {
    logger.warn(`Error migrating ${legacy} to ${target}: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
}
