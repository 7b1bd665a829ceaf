import { randomBytes } from "node:crypto";
import { closeSync, constants, copyFileSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readSync, statSync, unlinkSync } from "node:fs";
import { dirname } from "node:path";

/** Where migration messages go; Miniflare logs the skip at debug level and failures as warnings. */
export interface MigrationLog {
  debug?(message: string): void;
  warn?(message: string): void;
}

/** What a legacy database migration did. */
export type LegacyMigrationResult =
  /** No legacy `db.sqlite`: nothing to do. */
  | { readonly status: "absent"; readonly from: string; readonly to: string }
  /** The new file already exists; it was not touched, nor was the legacy one. */
  | { readonly status: "skipped"; readonly from: string; readonly to: string }
  /** Copied, verified, and the legacy files removed. */
  | { readonly status: "migrated"; readonly from: string; readonly to: string }
  /** Something failed; the legacy files are still there and the new path holds nothing half-written. */
  | { readonly status: "failed"; readonly from: string; readonly to: string; readonly error: unknown };

function unlinkIfPresent(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}

/** Whether two files hold the same bytes, compared in chunks so a large database is never held whole. */
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

/** Copies `from` to a fresh temporary name next to `near`, flushes it and checks it byte for byte. */
function verifiedCopy(from: string, near: string): string {
  const temporary = `${near}.cellar-migrate-${randomBytes(6).toString("hex")}`;
  copyFileSync(from, temporary, constants.COPYFILE_EXCL);
  const descriptor = openSync(temporary, "r+");
  try {
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
  if (!sameBytes(from, temporary)) {
    unlinkIfPresent(temporary);
    throw new Error(`the copy of ${from} differs from the original`);
  }
  return temporary;
}

/** Puts `temporary` at `target` only if nothing is there: a hard link (or an exclusive copy) cannot overwrite. */
function placeExclusively(temporary: string, target: string): boolean {
  try {
    linkSync(temporary, target);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return false;
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EXDEV") throw error;
  }
  try {
    copyFileSync(temporary, target, constants.COPYFILE_EXCL);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

/** Removes `placed` (a WAL this migration linked from `temporary`), but only if it is still that file. */
function takeBack(temporary: string | undefined, placed: string): void {
  if (temporary === undefined) return;
  if (statSync(temporary).ino === statSync(placed).ino) unlinkSync(placed);
}

/**
 * The legacy layout migration of one database (on-disk-layout §9) with L8's safety. Miniflare
 * copies `from` (`<root>/<product>/<sanitisePath(name)>/db.sqlite`) and its `-wal` to `to` once,
 * when `to` does not exist, then unlinks the legacy files even if a copy failed part-way. Here
 * both copies are verified before anything is removed, and `to` is created exclusively, so it is
 * never overwritten; the WAL is placed first, so a database never appears without its WAL. A
 * `-wal` or `-shm` at `to` without a database beside it is a leftover of an interrupted attempt
 * (SQLite would replay it into whatever database appears there) and is removed first. `-shm` is
 * neither copied nor removed at `from`. Synchronous, so it can run right before a database is
 * opened; errors become a warning (`Error migrating <old> to <new>: <e>`) and a `failed` result,
 * never an exception.
 */
export function migrateLegacyDatabaseFile(from: string, to: string, log: MigrationLog): LegacyMigrationResult {
  const created: string[] = [];
  let placedWal: string | undefined;
  let placedMain = false;
  try {
    if (!existsSync(from)) return { status: "absent", from, to };
    if (existsSync(to)) {
      log.debug?.(`Not migrating ${from} to ${to} as it already exists`);
      return { status: "skipped", from, to };
    }
    mkdirSync(dirname(to), { recursive: true });
    const main = verifiedCopy(from, to);
    created.push(main);
    const hasWal = existsSync(`${from}-wal`);
    const wal = hasWal ? verifiedCopy(`${from}-wal`, `${to}-wal`) : undefined;
    if (wal !== undefined) created.push(wal);
    unlinkIfPresent(`${to}-wal`);
    unlinkIfPresent(`${to}-shm`);
    // The WAL goes first: a main file that appeared without its WAL would look complete and
    // stop any later migration, losing the commits in the legacy WAL.
    if (wal !== undefined) {
      if (!placeExclusively(wal, `${to}-wal`)) throw new Error(`${to}-wal appeared while migrating`);
      placedWal = wal;
    }
    if (!placeExclusively(main, to)) {
      takeBack(placedWal, `${to}-wal`);
      placedWal = undefined;
      log.debug?.(`Not migrating ${from} to ${to} as it already exists`);
      return { status: "skipped", from, to };
    }
    placedMain = true;
    unlinkSync(from);
    if (hasWal) unlinkIfPresent(`${from}-wal`);
    return { status: "migrated", from, to };
  } catch (error) {
    // A WAL left without its database would be read as the WAL of whatever file appears there later.
    if (!placedMain) {
      try {
        takeBack(placedWal, `${to}-wal`);
      } catch {
        // Nothing more can be done; the next attempt removes a WAL without a database.
      }
    }
    log.warn?.(`Error migrating ${from} to ${to}: ${String(error)}`);
    return { status: "failed", from, to, error };
  } finally {
    for (const temporary of created) {
      try {
        unlinkIfPresent(temporary);
      } catch {
        // A temporary copy that cannot be removed is harmless: nothing reads `*.cellar-migrate-*`.
      }
    }
  }
}
