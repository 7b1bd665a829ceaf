import { randomBytes } from "node:crypto";
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, readSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import { open, unlink } from "node:fs/promises";
import { basename, dirname } from "node:path";
import { SqlError } from "@cellar/metadata-store";

/** Offsets 18 and 19 of a SQLite header: file format write/read version, 1 = rollback journal, 2 = WAL. */
const FORMAT_OFFSETS = [18, 19] as const;
const WAL_FORMAT = 2;
const LEGACY_FORMAT = 1;
const HEADER_SIZE = 100;
/** The first bytes of a rollback journal that still needs replaying ("hot"). */
const JOURNAL_MAGIC = Buffer.from([0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7]);

/** Infix of the temporary files a write goes through; `remove()` deletes leftovers too. */
export const TEMP_INFIX = ".cellar-tmp-";

/**
 * Mark an exported image as WAL mode, the way `wrangler dev` keeps its files: native SQLite then
 * opens it in WAL mode (a missing `-wal` file just means "nothing to replay").
 */
export function markWal(image: Uint8Array): Uint8Array {
  if (image.length >= HEADER_SIZE) for (const offset of FORMAT_OFFSETS) image[offset] = WAL_FORMAT;
  return image;
}

/** sql.js has no WAL support: load a WAL-mode file as a rollback-journal one (in memory only). */
export function markLegacy(image: Uint8Array): Uint8Array {
  if (image.length >= HEADER_SIZE && image[18] === WAL_FORMAT) {
    for (const offset of FORMAT_OFFSETS) image[offset] = LEGACY_FORMAT;
  }
  return image;
}

/**
 * Read a database file, refusing files whose latest commits live in companion files sql.js
 * cannot apply: a non-empty `-wal` (native SQLite was killed, or is still running) or a hot
 * `-journal`. Loading the main file alone would silently drop committed data, and our next
 * write would make that loss permanent. Returns `undefined` when the file does not exist.
 */
export function readDatabaseImage(path: string): Uint8Array | undefined {
  if (!existsSync(path)) return undefined;
  if (sizeOf(`${path}-wal`) > 0) {
    throw new SqlError(
      "ERR_SQL_WAL_PRESENT",
      `${path} has un-checkpointed changes in ${basename(path)}-wal that the wasm engine cannot read. ` +
        "Open it once with the native engine (@cellar/metadata-store-sqlite) and close it cleanly, " +
        "which folds the WAL into the file, then open it here again.",
    );
  }
  if (isHotJournal(`${path}-journal`)) {
    throw new SqlError(
      "ERR_SQL_WAL_PRESENT",
      `${path} has an unfinished transaction in ${basename(path)}-journal that the wasm engine cannot roll back. ` +
        "Open it once with the native engine (@cellar/metadata-store-sqlite), then open it here again.",
    );
  }
  try {
    return markLegacy(readFileSync(path));
  } catch (error) {
    throw ioError(`Cannot read ${path}`, error);
  }
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function isHotJournal(path: string): boolean {
  if (sizeOf(path) < JOURNAL_MAGIC.length) return false;
  const head = Buffer.alloc(JOURNAL_MAGIC.length);
  const fd = openSync(path, "r");
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  return head.equals(JOURNAL_MAGIC);
}

function tempPath(path: string): string {
  return `${path}${TEMP_INFIX}${randomBytes(6).toString("hex")}`;
}

/**
 * Write `image` to a temporary file next to `path` (fsynced when `durable`), then, if
 * `shouldCommit()` still agrees, rename it over `path`, so readers only ever see a whole old or a
 * whole new file. The rename is synchronous on purpose: `close()` writes synchronously, and a
 * rename still queued on the thread pool could otherwise land after it with older contents.
 *
 * @returns false when `shouldCommit()` said no (the temporary file is removed)
 */
export async function writeImageAtomically(
  path: string,
  image: Uint8Array,
  durable: boolean,
  shouldCommit: () => boolean,
): Promise<boolean> {
  const temp = tempPath(path);
  try {
    const handle = await open(temp, "wx");
    try {
      await handle.writeFile(image);
      if (durable) await handle.sync();
    } finally {
      await handle.close();
    }
    if (!shouldCommit()) {
      await unlink(temp);
      return false;
    }
    renameSync(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw ioError(`Cannot write ${path}`, error);
  }
  if (durable) await syncDirectoryAsync(path);
  return true;
}

/** The synchronous twin of {@link writeImageAtomically}, for `close()` and opening a new file. */
export function writeImageAtomicallySync(path: string, image: Uint8Array, durable: boolean): void {
  const temp = tempPath(path);
  try {
    const fd = openSync(temp, "wx");
    try {
      let offset = 0;
      while (offset < image.length) offset += writeSync(fd, image, offset, image.length - offset);
      if (durable) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // Never created, or already renamed.
    }
    throw ioError(`Cannot write ${path}`, error);
  }
  if (durable) syncDirectory(path);
}

/** Errors meaning "this platform cannot fsync a directory" (Windows), not "the write failed". */
const IGNORED_DIRECTORY_SYNC_ERRORS = new Set(["EISDIR", "EPERM", "EINVAL", "EACCES"]);

/** Make the rename itself durable: fsync the directory entry (POSIX; Windows cannot, and need not). */
function syncDirectory(path: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dirname(path), "r");
    fsyncSync(fd);
  } catch (error) {
    if (!IGNORED_DIRECTORY_SYNC_ERRORS.has((error as NodeJS.ErrnoException).code ?? "")) {
      throw ioError(`Cannot sync the directory of ${path}`, error);
    }
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

async function syncDirectoryAsync(path: string): Promise<void> {
  try {
    const handle = await open(dirname(path), "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (!IGNORED_DIRECTORY_SYNC_ERRORS.has((error as NodeJS.ErrnoException).code ?? "")) {
      throw ioError(`Cannot sync the directory of ${path}`, error);
    }
  }
}

function ioError(what: string, error: unknown): SqlError {
  const code = (error as NodeJS.ErrnoException).code;
  const message = `${what}: ${(error as Error).message}`;
  if (code === "ENOSPC") return new SqlError("ERR_SQL_FULL", message, { cause: error });
  if (code === "EROFS") return new SqlError("ERR_SQL_READONLY", message, { cause: error });
  return new SqlError("ERR_SQL_IO", message, { cause: error });
}
