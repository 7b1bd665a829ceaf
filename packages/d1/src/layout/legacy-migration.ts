import { createHash, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { constants, copyFile, link, mkdir, stat, unlink } from "node:fs/promises";
import { dirname, join } from "node:path";
import { d1DatabasePath } from "./d1-database-path.js";
import { sanitisePath } from "@cellar/blob-store";

/** Where migration messages go; Miniflare logs the skip at debug level and failures as warnings. */
export interface MigrationLog {
  debug?(message: string): void;
  warn?(message: string): void;
}

/** The default log: warnings to the console; the debug-level skip message, as Miniflare's, is dropped. */
const WARNINGS_ONLY: MigrationLog = { warn: (message) => console.warn(message) };

/** What {@link migrateLegacyD1Database} did. */
export type LegacyMigrationResult =
  /** No legacy `db.sqlite`: nothing to do. */
  | { readonly status: "absent"; readonly from: string; readonly to: string }
  /** The new file already exists; it was not touched, nor was the legacy one. */
  | { readonly status: "skipped"; readonly from: string; readonly to: string }
  /** Copied, verified, and the legacy files removed. */
  | { readonly status: "migrated"; readonly from: string; readonly to: string }
  /** Something failed; the legacy files are still there and the new path holds nothing half-written. */
  | { readonly status: "failed"; readonly from: string; readonly to: string; readonly error: unknown };

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}

async function digest(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Copy `from` to a fresh temporary name next to `near`, and check the copy byte for byte. */
async function verifiedCopy(from: string, near: string): Promise<string> {
  const temporary = `${near}.cellar-migrate-${randomBytes(6).toString("hex")}`;
  await copyFile(from, temporary, constants.COPYFILE_EXCL);
  const [source, copy] = await Promise.all([digest(from), digest(temporary)]);
  if (source !== copy) {
    await unlink(temporary).catch(() => undefined);
    throw new Error(`the copy of ${from} differs from the original`);
  }
  return temporary;
}

/** Put `temporary` at `target` only if nothing is there (a hard link cannot overwrite). */
async function placeExclusively(temporary: string, target: string): Promise<boolean> {
  try {
    await link(temporary, target);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return false;
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EXDEV") throw error;
  }
  // No hard links here: an exclusive copy of the verified file cannot overwrite either.
  try {
    await copyFile(temporary, target, constants.COPYFILE_EXCL);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

/** Remove `placed` (a WAL this migration linked from `temporary`), but only if it is still that file. */
async function takeBack(temporary: string | undefined, placed: string): Promise<void> {
  if (temporary === undefined) return;
  if ((await stat(temporary)).ino === (await stat(placed)).ino) await unlink(placed);
}

/**
 * The legacy layout migration (on-disk-layout §9) for one D1 database, with L8's safety:
 * Miniflare copies `<root>/d1/<sanitisePath(id)>/db.sqlite` (and its `-wal`) to
 * `d1DatabasePath(root, id)` once, when the new file does not exist, then unlinks the legacy
 * files even if a copy failed part-way. Here both copies are verified before anything is
 * removed, and the new file is created exclusively, so it is never overwritten. `-shm` is
 * neither copied nor removed. Errors become a warning (`Error migrating <old> to <new>: <e>`)
 * and a `failed` result; they are never thrown.
 *
 * @param persistRoot the directory holding `d1/` (e.g. `.wrangler/state/v3`)
 * @param databaseId the database id (see `d1DatabaseIdOf`)
 * @param log where messages go; by default warnings go to `console.warn` and debug messages nowhere
 */
export async function migrateLegacyD1Database(persistRoot: string, databaseId: string, log: MigrationLog = WARNINGS_ONLY): Promise<LegacyMigrationResult> {
  const from = join(persistRoot, "d1", sanitisePath(databaseId), "db.sqlite");
  const to = d1DatabasePath(persistRoot, databaseId);
  const created: string[] = [];
  let placedWal: string | undefined;
  let placedMain = false;
  try {
    if (!(await exists(from))) return { status: "absent", from, to };
    if (await exists(to)) {
      log.debug?.(`Not migrating ${from} to ${to} as it already exists`);
      return { status: "skipped", from, to };
    }
    await mkdir(dirname(to), { recursive: true });
    const main = await verifiedCopy(from, to);
    created.push(main);
    const hasWal = await exists(`${from}-wal`);
    const wal = hasWal ? await verifiedCopy(`${from}-wal`, `${to}-wal`) : undefined;
    if (wal !== undefined) created.push(wal);
    // The WAL goes first: a main file that appeared without its WAL would look complete and
    // stop any later migration, losing the commits in the legacy WAL.
    if (wal !== undefined) {
      if (!(await placeExclusively(wal, `${to}-wal`))) throw new Error(`${to}-wal already exists without ${to}`);
      placedWal = wal;
    }
    if (!(await placeExclusively(main, to))) {
      await takeBack(placedWal, `${to}-wal`);
      placedWal = undefined;
      log.debug?.(`Not migrating ${from} to ${to} as it already exists`);
      return { status: "skipped", from, to };
    }
    placedMain = true;
    await unlink(from);
    if (hasWal) await unlink(`${from}-wal`);
    return { status: "migrated", from, to };
  } catch (error) {
    // A WAL left without its database would be read as the WAL of whatever file appears there later.
    if (!placedMain) await takeBack(placedWal, `${to}-wal`).catch(() => undefined);
    log.warn?.(`Error migrating ${from} to ${to}: ${String(error)}`);
    return { status: "failed", from, to, error };
  } finally {
    for (const temporary of created) await unlink(temporary).catch(() => undefined);
  }
}
