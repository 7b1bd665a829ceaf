import { existsSync, unlinkSync } from "node:fs";
import { basename, join } from "node:path";
import { unlinkSyncWithRetry } from "@cellar/blob-store";
import type { SqlEngine } from "@cellar/metadata-store";
import type { AlarmScheduler } from "./alarm-scheduler.js";
import { deleteFiles, objectFileNamesSync } from "./delete-all.js";
import { acquireDropLock } from "./drop-lock.js";
import { clearSchedule, scheduledActorIds } from "./drop-schedule.js";
import { completeInterruptedDrop, fsyncDirectory, readTombstone, removeTombstone, writeTombstone, type DropProgress, type Tombstone } from "./drop-tombstone.js";
import { MESSAGES } from "./messages.js";

/** What {@link openNamespaceDrops} needs of its namespace. */
export interface NamespaceDropsOptions {
  /** The namespace's own directory (`<persist>/<uniqueKey>`), or undefined in memory. */
  readonly directory: string | undefined;
  /** The engine the schedule file is opened with when the namespace has no scheduler. */
  readonly engine: SqlEngine;
  /** The namespace's `onDropProgress` option. */
  readonly onDropProgress: ((progress: DropProgress) => void) | undefined;
}

/** The drops (`deleteAll()`) of one namespace instance, crash-safe when file-backed. */
export interface NamespaceDrops {
  /**
   * Called before an object is opened. While a drop that lists it is pending, its listed files
   * are deleted now, and the tombstone forgets them, so the object starts empty and its new files
   * are never deleted by the drop (or by its completion after a crash).
   */
  settleObject(hex: string): void;
  /**
   * Drops every object: `abortObjects` aborts and forgets the namespace's handles (so their files
   * can go), then the tombstone is written, the alarms cancelled (through `scheduler` when the
   * namespace has one, else in the schedule file) and the listed files deleted.
   */
  deleteAll(abortObjects: (reason: Error) => void, scheduler: Pick<AlarmScheduler, "actorIds" | "deleteAll"> | undefined): Promise<void>;
}

/** A drop of this namespace instance that has not deleted all its files yet. */
interface Drop {
  /** As on disk (rewritten when an object it lists is opened meanwhile). */
  tombstone: Tombstone;
  /** Listed files this drop has not deleted yet. */
  readonly remaining: Set<string>;
  scheduleCleared: boolean;
}

/**
 * The drop machinery of a namespace. Opening it first completes, synchronously, a drop a killed
 * process left unfinished in `directory`, so that happens before any object or alarm is read.
 */
export function openNamespaceDrops(options: NamespaceDropsOptions): NamespaceDrops {
  const { directory, engine, onDropProgress } = options;
  if (directory !== undefined) completeInterruptedDrop(directory, engine, onDropProgress);
  /** Drops of this instance whose files are not all gone yet; the newest one's tombstone is on disk. */
  const drops = new Set<Drop>();
  let latestDrop: Drop | undefined;

  /** Writes the tombstone of a new drop, folding in the actors of the previous one (ours or a dead process's). */
  const beginDrop = (directory: string, names: string[], actorIds: Set<string>): Drop => {
    const previous = latestDrop?.tombstone ?? readTombstone(directory);
    for (const id of previous?.actorIds ?? []) actorIds.add(id);
    const tombstone: Tombstone = { version: 1, generation: Math.max(Date.now(), (previous?.generation ?? 0) + 1), files: names, actorIds: [...actorIds].sort() };
    writeTombstone(directory, tombstone);
    const drop: Drop = { tombstone, remaining: new Set(names), scheduleCleared: false };
    drops.add(drop);
    latestDrop = drop;
    onDropProgress?.({ stage: "tombstone-written", generation: tombstone.generation, files: names });
    return drop;
  };

  /** Deletes the files `names` lists; only once every one is gone does the tombstone go. */
  const finishDrop = async (directory: string, drop: Drop, names: string[]): Promise<void> => {
    await deleteFiles(
      names.map((name) => join(directory, name)),
      {
        // Synchronous, and skipped once an object opened meanwhile has settled its own files.
        unlink: async (path) => {
          const name = basename(path);
          if (!drop.remaining.has(name)) return;
          unlinkSync(path);
          drop.remaining.delete(name);
        },
      },
      (file, deleted) => onDropProgress?.({ stage: "file-deleted", file, deleted, total: names.length }),
    );
    // Otherwise (a throw above) the tombstone stays for the next open to finish.
    fsyncDirectory(directory);
    drops.delete(drop);
    if (latestDrop === drop) {
      removeTombstone(directory, drop.tombstone.generation);
      latestDrop = undefined;
    }
  };

  return {
    settleObject(hex) {
      if (directory === undefined || drops.size === 0) return;
      for (const drop of drops) {
        const listed = drop.tombstone.files.some((name) => name.startsWith(hex)) || drop.tombstone.actorIds.includes(hex);
        if (!listed) continue;
        const mine = [...drop.remaining].filter((name) => name.startsWith(hex));
        for (const name of mine) {
          unlinkSyncWithRetry(join(directory, name));
          drop.remaining.delete(name);
        }
        if (mine.length > 0) fsyncDirectory(directory);
        drop.tombstone = {
          ...drop.tombstone,
          files: drop.tombstone.files.filter((name) => !name.startsWith(hex)),
          // Until the schedule is cleared, the object's old alarm row must still go on a completion.
          actorIds: drop.scheduleCleared ? drop.tombstone.actorIds.filter((id) => id !== hex) : drop.tombstone.actorIds,
        };
        if (drop === latestDrop) writeTombstone(directory, drop.tombstone);
      }
    },

    async deleteAll(abortObjects, scheduler) {
      // One drop of the directory at a time, across processes (drop-lock.ts); the tombstone of a
      // drop whose process died (its lock taken over) is folded into this one.
      const lock = directory !== undefined && existsSync(directory) ? await acquireDropLock(directory) : undefined;
      try {
        // Abort and close every handle first, so its files (and their -wal/-shm) can go.
        abortObjects(new Error(MESSAGES.deleteAllDurableObjects));
        // Synchronously from here to the tombstone: no object can be opened in between.
        const metadata = directory === undefined ? undefined : join(directory, "metadata.sqlite");
        const names = directory === undefined ? [] : objectFileNamesSync(directory);
        const actorIds = new Set(names.map((name) => name.slice(0, 64)));
        if (scheduler !== undefined) for (const id of scheduler.actorIds()) actorIds.add(id);
        else if (metadata !== undefined) for (const id of scheduledActorIds(engine, metadata)) actorIds.add(id);
        onDropProgress?.({ stage: "started", files: names });
        const drop = directory !== undefined && existsSync(directory) ? beginDrop(directory, names, actorIds) : undefined;
        // Cancel every alarm: the timers, and the schedule (the file stays).
        if (scheduler !== undefined) await scheduler.deleteAll();
        else if (metadata !== undefined) await clearSchedule(engine, metadata);
        if (drop !== undefined) drop.scheduleCleared = true;
        onDropProgress?.({ stage: "schedule-cleared" });
        // Every object on disk, opened in this process or not; their own _cf_METADATA alarms go with them.
        if (directory !== undefined && drop !== undefined) await finishDrop(directory, drop, names);
        onDropProgress?.({ stage: "done" });
      } finally {
        lock?.release();
      }
    },
  };
}
