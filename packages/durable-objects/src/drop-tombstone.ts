import { closeSync, existsSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";
import { unlinkSyncWithRetry, type UnlinkSyncRetryOptions } from "@cellar/blob-store";
import type { SqlEngine } from "@cellar/metadata-store";
import { deleteRetries } from "./alarm-retry-table.js";
import { OBJECT_FILE } from "./delete-all.js";
import { acquireDropLockSync, DROP_LOCK_FILE, type DropLockOptions } from "./drop-lock.js";

/**
 * The tombstone of a drop in progress: `<directory>/<uniqueKey>/.cellar-tombstone`. Project-owned
 * (on-disk-layout.md L2): a dotfile, which Miniflare's disk service hides and which can never be an
 * object's file; optional (no file: no drop pending).
 */
export const TOMBSTONE_FILE = ".cellar-tombstone";
const TEMP_PREFIX = `${TOMBSTONE_FILE}.tmp-`;
const ACTOR_ID = /^[0-9a-f]{64}$/;

/** What a drop writes before it deletes anything. */
export interface Tombstone {
  readonly version: 1;
  /** Identifies this drop; strictly greater than the generation of any tombstone it replaced. */
  readonly generation: number;
  /** The object files (names in the namespace directory) present when the drop began: only these are deleted. */
  readonly files: readonly string[];
  /** The objects whose `_cf_ALARM` rows the drop removes. */
  readonly actorIds: readonly string[];
}

/**
 * How a drop is going, told to the namespace's `onDropProgress` (synchronously, as it happens):
 * `started` (handles aborted, nothing persisted yet), `tombstone-written`, `schedule-cleared`,
 * `file-deleted` after each file, `done` (tombstone removed). `recovered` is told when opening the
 * namespace completed a drop a previous process left unfinished.
 */
export type DropProgress =
  | { readonly stage: "started"; readonly files: readonly string[] }
  | { readonly stage: "tombstone-written"; readonly generation: number; readonly files: readonly string[] }
  | { readonly stage: "schedule-cleared" }
  | { readonly stage: "file-deleted"; readonly file: string; readonly deleted: number; readonly total: number }
  | { readonly stage: "done" }
  | { readonly stage: "recovered"; readonly generation: number; readonly files: readonly string[] };

/** The pending tombstone of `directory`, or undefined. A damaged one throws: guessing could resurrect or lose data. */
export function readTombstone(directory: string): Tombstone | undefined {
  const path = join(directory, TOMBSTONE_FILE);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const t = parsed as Partial<Tombstone> | undefined;
  const valid =
    t !== undefined &&
    t !== null &&
    t.version === 1 &&
    Number.isSafeInteger(t.generation) &&
    Array.isArray(t.files) &&
    t.files.every((name) => typeof name === "string" && OBJECT_FILE.test(name)) &&
    Array.isArray(t.actorIds) &&
    t.actorIds.every((id) => typeof id === "string" && ACTOR_ID.test(id));
  if (!valid) throw new Error(`Damaged deleteAll() tombstone ${path}: remove the namespace directory (or the file, keeping the data) to continue`);
  return t as Tombstone;
}

/** Writes `tombstone` atomically: a temp file, fsync'd, renamed over the tombstone, then the directory fsync'd. */
export function writeTombstone(directory: string, tombstone: Tombstone): void {
  const temp = join(directory, `${TEMP_PREFIX}${process.pid}-${Math.random().toString(16).slice(2)}`);
  const fd = openSync(temp, "wx");
  try {
    writeSync(fd, JSON.stringify(tombstone));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(temp, join(directory, TOMBSTONE_FILE));
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {}
    throw error;
  }
  fsyncDirectory(directory);
}

/** Removes the tombstone if it is still the one of `generation` (a newer drop keeps its own). */
export function removeTombstone(directory: string, generation: number): void {
  if (readTombstone(directory)?.generation !== generation) return;
  unlinkSyncWithRetry(join(directory, TOMBSTONE_FILE));
  fsyncDirectory(directory);
}

/** Makes renames and unlinks in `directory` durable; platforms that cannot fsync a directory (Windows) skip it. */
export function fsyncDirectory(directory: string): void {
  let fd: number;
  try {
    fd = openSync(directory, "r");
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EISDIR" && code !== "EPERM" && code !== "EINVAL" && code !== "EBADF") throw error;
  } finally {
    closeSync(fd);
  }
}

/** `DELETE FROM _cf_ALARM` for `actorIds` (and their pending retries), when the schedule exists; closing flushes it. */
export function deleteScheduledAlarms(engine: SqlEngine, location: string, actorIds: readonly string[]): void {
  if (actorIds.length === 0) return;
  if (!existsSync(location)) return;
  const db = engine.open(location);
  try {
    if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_cf_ALARM'").get() === undefined) return;
    db.transaction(() => {
      for (let i = 0; i < actorIds.length; i += 100) {
        const chunk = actorIds.slice(i, i + 100);
        db.prepare(`DELETE FROM _cf_ALARM WHERE actor_id IN (${chunk.map(() => "?").join(", ")})`).run(...chunk);
      }
      deleteRetries(db, actorIds);
    });
  } finally {
    db.close();
  }
}

/**
 * Completes the drop a previous process left in `directory`, if any, before anything else opens a
 * file there: deletes the files the tombstone lists (only those: files created after it are never
 * touched), removes the listed objects' `_cf_ALARM` rows, then removes the tombstone. Stale
 * tombstone temp files go too. A drop another process is running is waited for (its lock), and
 * one whose process died is taken over. Throws (keeping the tombstone) when a listed file cannot
 * be deleted.
 */
export function completeInterruptedDrop(
  directory: string,
  engine: SqlEngine,
  onProgress?: (progress: DropProgress) => void,
  unlinkOptions?: UnlinkSyncRetryOptions,
  lockOptions?: DropLockOptions,
): void {
  let names: string[];
  try {
    names = readdirSync(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  const temps = names.filter((name) => name.startsWith(TEMP_PREFIX));
  // A lock file alone is a drop running elsewhere (waited for) or one killed before its tombstone (removed).
  if (!names.includes(TOMBSTONE_FILE) && !names.includes(DROP_LOCK_FILE) && temps.length === 0) return;
  const lock = acquireDropLockSync(directory, lockOptions);
  try {
    // Under the lock no other process is writing a tombstone: any temp file is a dead writer's.
    for (const name of temps) {
      try {
        unlinkSync(join(directory, name));
      } catch {}
    }
    // Read again: a drop that was running elsewhere may have finished meanwhile.
    const tombstone = readTombstone(directory);
    if (tombstone === undefined) return;
    const failed: { name: string; error: unknown }[] = [];
    for (const name of tombstone.files) {
      try {
        unlinkSyncWithRetry(join(directory, name), unlinkOptions);
      } catch (error) {
        failed.push({ name, error });
      }
    }
    if (failed.length > 0) {
      throw new AggregateError(
        failed.map(({ name, error }) => new Error(`Cannot delete ${join(directory, name)}: ${(error as Error).message ?? String(error)}`, { cause: error })),
        `Cannot complete the interrupted deleteAll() of ${directory}: ${failed.length} file(s) left (${failed.map(({ name }) => name).join(", ")})`,
      );
    }
    fsyncDirectory(directory);
    deleteScheduledAlarms(engine, join(directory, "metadata.sqlite"), tombstone.actorIds);
    removeTombstone(directory, tombstone.generation);
    onProgress?.({ stage: "recovered", generation: tombstone.generation, files: tombstone.files });
  } finally {
    lock?.release();
  }
}
