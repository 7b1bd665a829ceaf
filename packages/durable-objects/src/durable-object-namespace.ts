import { existsSync, unlinkSync } from "node:fs";
import { basename, isAbsolute, join, resolve } from "node:path";
import type { SqlEngine } from "@cellar/metadata-store";
import { deleteRetries } from "./alarm-retry-table.js";
import { AlarmScheduler, type AlarmHandler, type AlarmTimers } from "./alarm-scheduler.js";
import { FileAlarmStore, MemoryAlarmStore } from "./alarm-store.js";
import { DatabasePool } from "./database-pool.js";
import { CellarDurableObjectId, IdFactory } from "./durable-object-id.js";
import { deleteFiles, objectFileNamesSync } from "./delete-all.js";
import { acquireDropLock } from "./drop-lock.js";
import { completeInterruptedDrop, fsyncDirectory, readTombstone, removeTombstone, writeTombstone, type DropProgress, type Tombstone } from "./drop-tombstone.js";
import { CellarDurableObjectStorage } from "./durable-object-storage.js";
import { FacetTree } from "./facets.js";
import { MESSAGES } from "./messages.js";
import { ObjectAlarms } from "./object-alarms.js";
import { ObjectDatabase } from "./object-database.js";
import { PAGE_SIZE } from "./storage-schema.js";
import type { StorageMode } from "./storage-limits.js";
import { unlinkSyncWithRetry } from "./unlink-retry.js";

/** Options of {@link createDurableObjectNamespace}. */
export interface DurableObjectNamespaceOptions {
  /**
   * The namespace's unique key, which keys its ids and names its directory. Miniflare and
   * `wrangler dev` use `` `${workerName ?? ""}-${className}` `` (`-Counter` for class `Counter`
   * in an unnamed worker).
   */
  readonly uniqueKey: string;
  /** The SQLite engine every object's database is opened with. */
  readonly engine: SqlEngine;
  /**
   * The Durable Objects persist directory (Miniflare's `durableObjectsPersist`, `wrangler dev`'s
   * `.wrangler/state/v3/do`). Objects live in `<directory>/<uniqueKey>/<id>.sqlite`. Undefined
   * keeps every object in memory.
   */
  readonly directory?: string;
  /** Time source for idle closing. Default `Date`. */
  readonly clock?: { now(): number };
  /** `"sqlite"` (default): SQLite-backed classes. `"kv"`: KV-backed classes, with their limits and without `sql`/`kv`. */
  readonly mode?: StorageMode;
  /** File-backed only: how many object databases may be open at once. Default 256. */
  readonly maxOpenDatabases?: number;
  /** File-backed only: an object unused this long (ms) is closed, as workerd evicts idle objects. Default 10,000. */
  readonly idleCloseMs?: number;
  /** Per-object size cap in bytes (spec O3), enforced with `max_page_count`. Default 10 GB. */
  readonly maxDatabaseSize?: number;
  /**
   * The class's `alarm()` handler, run for an object when its alarm is due; a throw is retried
   * with backoff. Without it `setAlarm` fails as it does for a class without `alarm()`.
   */
  readonly onAlarm?: AlarmHandler;
  /** The time source alarms are scheduled on. Default: `Date.now`, the global timers, `Math.random`. */
  readonly timers?: AlarmTimers;
  /**
   * workerd's `preventEviction`: the namespace is left untouched by {@link CellarDurableObjectNamespace.deleteAll}
   * and `deleteAllDurableObjects()`. Default false.
   */
  readonly preventEviction?: boolean;
  /**
   * Told, synchronously, how each drop (`deleteAll()`, `deleteAllDurableObjects()`) goes, and when
   * opening the namespace completed a drop a killed process left unfinished; see {@link DropProgress}.
   * For logs and crash tests. A throw stops the drop at that point (as a crash would).
   */
  readonly onDropProgress?: (progress: DropProgress) => void;
}

/** One object as a caller reaches it: its id and its `ctx.storage`. */
export interface DurableObjectHandle {
  readonly id: CellarDurableObjectId;
  readonly storage: CellarDurableObjectStorage;
}

/** A namespace of Durable Objects with workerd's ids and storage files. */
export interface CellarDurableObjectNamespace {
  /** The deterministic id of `name` (same HMAC as workerd, so the same file name). */
  idFromName(name: string): CellarDurableObjectId;
  /** A random id valid only in this namespace. */
  newUniqueId(): CellarDurableObjectId;
  /** Parses an id; throws the runtime's errors for bad syntax or another namespace's id. */
  idFromString(id: string): CellarDurableObjectId;
  /** The object with `id`; the same handle for the same id. Opening it opens no other object. */
  get(id: { toString(): string }): DurableObjectHandle;
  /** Where the objects' files live, or undefined in memory. */
  readonly directory: string | undefined;
  /** How many object databases are open (file-backed namespaces close idle ones). */
  readonly openDatabases: number;
  /**
   * Resolves once no alarm handler is running or finishing (its writes committed, the next timer
   * armed): with injected timers, tests advance time, then await this.
   */
  alarmsSettled(): Promise<void>;
  /** Whether the namespace was created with `preventEviction` (deleteAll leaves it alone). */
  readonly preventEviction: boolean;
  /**
   * Deletes every object of the namespace, for test isolation (workerd's
   * `deleteAllDurableObjects()`, completed as spec O4 asks): handles are aborted (every use of an
   * old handle then throws `Application called deleteAllDurableObjects().`; `get(id)` gives a fresh,
   * empty object), every alarm is cancelled (`DELETE FROM _cf_ALARM`, `metadata.sqlite` kept), and
   * every object's files are deleted — objects opened, closed as idle, or never opened in this
   * process alike. A `preventEviction` namespace is left untouched. Files that stay busy after
   * 2 s of retries are named in an AggregateError (the others are still deleted). File-backed, it
   * is crash-safe: a tombstone listing the files is written first, and a drop a killed process
   * left unfinished is completed by the next open of the directory (see `onDropProgress`).
   */
  deleteAll(): Promise<void>;
  /**
   * Stops the alarm timers (waiting for running handlers), commits pending writes and closes every
   * database; later calls reopen them (file-backed), but a closed namespace fires no alarms.
   */
  close(): Promise<void>;
}

const DEFAULT_MAX_DATABASE_SIZE = 10_000_000_000;

/** Creates a Durable Object namespace; see {@link DurableObjectNamespaceOptions}. */
export function createDurableObjectNamespace(options: DurableObjectNamespaceOptions): CellarDurableObjectNamespace {
  const uniqueKey = String(options.uniqueKey);
  // The key names a directory: it must stay one path segment inside the persist directory.
  if (uniqueKey === "" || uniqueKey === "." || uniqueKey === ".." || /[/\\\0]/.test(uniqueKey)) {
    throw new TypeError(`Durable Object namespace uniqueKey must be a single path segment: ${JSON.stringify(uniqueKey)}`);
  }
  const ids = new IdFactory(uniqueKey);
  const preventEviction = options.preventEviction === true;
  const mode = options.mode ?? "sqlite";
  const clock = options.clock ?? Date;
  const directory = options.directory === undefined ? undefined : join(isAbsolute(options.directory) ? options.directory : resolve(options.directory), uniqueKey);
  const onDropProgress = options.onDropProgress;
  // A drop a killed process left unfinished is completed before any object or alarm is read.
  if (directory !== undefined) completeInterruptedDrop(directory, options.engine, onDropProgress);
  /** Drops of this instance whose files are not all gone yet; the newest one's tombstone is on disk. */
  const drops = new Set<Drop>();
  let latestDrop: Drop | undefined;
  /**
   * Before an object is opened while a drop that lists it is pending: its listed files are deleted
   * now, and the tombstone forgets them, so the object starts empty and its new files are never
   * deleted by the drop (or by its completion after a crash).
   */
  const settleObject = (hex: string): void => {
    if (directory === undefined) return;
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
  };
  const pool =
    directory === undefined
      ? undefined
      : new DatabasePool({ engine: options.engine, maxOpen: options.maxOpenDatabases ?? 256, idleMs: options.idleCloseMs ?? 10_000, now: () => clock.now() });
  const maxPageCount = Math.max(1, Math.floor((options.maxDatabaseSize ?? DEFAULT_MAX_DATABASE_SIZE) / PAGE_SIZE));
  const handles = new Map<string, DurableObjectHandle & { readonly object: ObjectDatabase; readonly alarms: ObjectAlarms; readonly facets: FacetTree }>();
  const timers: AlarmTimers = options.timers ?? {
    now: () => Date.now(),
    setTimeout: (callback, ms) => setTimeout(callback, ms),
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
  const handleOf = (parsed: CellarDurableObjectId): DurableObjectHandle & { readonly object: ObjectDatabase; readonly alarms: ObjectAlarms; readonly facets: FacetTree } => {
    const hex = parsed.toString();
    let handle = handles.get(hex);
    if (handle === undefined) {
      if (drops.size > 0) settleObject(hex);
      const location = directory === undefined ? ":memory:" : join(directory, `${hex}.sqlite`);
      const object = new ObjectDatabase({ engine: options.engine, location, pool, maxPageCount });
      const alarms = new ObjectAlarms(object, parsed, scheduler, () => timers.now());
      const facets = new FacetTree({ engine: options.engine, directory, rootId: hex, pool, maxPageCount, mode, now: () => timers.now() });
      handle = { id: parsed, storage: new CellarDurableObjectStorage(object, mode, alarms, { tree: facets, node: 0, depth: 1, id: parsed }), object, alarms, facets };
      handles.set(hex, handle);
    }
    return handle;
  };
  // Each namespace keeps its own schedule, next to its objects (workerd's per-namespace scheduler).
  const onAlarm = options.onAlarm;
  const scheduler =
    onAlarm === undefined
      ? undefined
      : new AlarmScheduler({
          store: directory === undefined ? new MemoryAlarmStore() : new FileAlarmStore(options.engine, join(directory, "metadata.sqlite")),
          timers,
          handler: onAlarm,
          target: (actorId, actorName) => handleOf(handles.get(actorId)?.id ?? new CellarDurableObjectId(actorId, actorName)),
        });
  scheduler?.start();

  return {
    idFromName: (name) => ids.idFromName(name),
    newUniqueId: () => ids.newUniqueId(),
    idFromString: (id) => ids.idFromString(id),
    get(id) {
      const handle = handleOf(id instanceof CellarDurableObjectId ? id : ids.idFromString(String(id)));
      return { id: handle.id, storage: handle.storage };
    },
    directory,
    alarmsSettled: async () => scheduler?.settled(),
    preventEviction,
    async deleteAll() {
      if (preventEviction) return;
      // One drop of the directory at a time, across processes (drop-lock.ts); the tombstone of a
      // drop whose process died (its lock taken over) is folded into this one.
      const lock = directory !== undefined && existsSync(directory) ? await acquireDropLock(directory) : undefined;
      try {
        // Abort and close every handle first, so its files (and their -wal/-shm) can go.
        const aborted = new Error(MESSAGES.deleteAllDurableObjects);
        for (const handle of handles.values()) {
          handle.facets.abortAll(aborted);
          handle.object.abort(aborted);
        }
        handles.clear();
        // Synchronously from here to the tombstone: no object can be opened in between.
        const metadata = directory === undefined ? undefined : join(directory, "metadata.sqlite");
        const names = directory === undefined ? [] : objectFileNamesSync(directory);
        const actorIds = new Set(names.map((name) => name.slice(0, 64)));
        if (scheduler !== undefined) for (const id of scheduler.actorIds()) actorIds.add(id);
        else if (metadata !== undefined) for (const id of scheduledActorIds(options.engine, metadata)) actorIds.add(id);
        onDropProgress?.({ stage: "started", files: names });
        let drop: Drop | undefined;
        if (directory !== undefined && existsSync(directory)) {
          const previous = latestDrop?.tombstone ?? readTombstone(directory);
          for (const id of previous?.actorIds ?? []) actorIds.add(id);
          const tombstone: Tombstone = { version: 1, generation: Math.max(Date.now(), (previous?.generation ?? 0) + 1), files: names, actorIds: [...actorIds].sort() };
          writeTombstone(directory, tombstone);
          drop = { tombstone, remaining: new Set(names), scheduleCleared: false };
          drops.add(drop);
          latestDrop = drop;
          onDropProgress?.({ stage: "tombstone-written", generation: tombstone.generation, files: names });
        }
        // Cancel every alarm: the timers, and the schedule (the file stays).
        if (scheduler !== undefined) await scheduler.deleteAll();
        else if (metadata !== undefined) await clearSchedule(options.engine, metadata);
        if (drop !== undefined) drop.scheduleCleared = true;
        onDropProgress?.({ stage: "schedule-cleared" });
        // Every object on disk, opened in this process or not; their own _cf_METADATA alarms go with them.
        if (directory !== undefined && drop !== undefined) {
          const current = drop;
          await deleteFiles(
            names.map((name) => join(directory, name)),
            {
              // Synchronous, and skipped once an object opened meanwhile has settled its own files.
              unlink: async (path) => {
                const name = basename(path);
                if (!current.remaining.has(name)) return;
                unlinkSync(path);
                current.remaining.delete(name);
              },
            },
            (file, deleted) => onDropProgress?.({ stage: "file-deleted", file, deleted, total: names.length }),
          );
          // Only once every file is gone; otherwise the tombstone stays for the next open to finish.
          fsyncDirectory(directory);
          drops.delete(current);
          if (latestDrop === current) {
            removeTombstone(directory, current.tombstone.generation);
            latestDrop = undefined;
          }
        }
        onDropProgress?.({ stage: "done" });
      } finally {
        lock?.release();
      }
    },
    get openDatabases() {
      return pool?.size ?? handles.size;
    },
    async close() {
      await scheduler?.close();
      for (const handle of handles.values()) {
        await handle.object.sync();
        await handle.facets.sync();
      }
      if (pool !== undefined) {
        pool.closeAll(true);
        for (const handle of handles.values()) {
          handle.object.released();
          handle.facets.released();
        }
      } else {
        for (const handle of handles.values()) {
          handle.facets.close();
          handle.object.close();
        }
        handles.clear();
      }
    },
  };
}

/** A drop of this namespace instance that has not deleted all its files yet. */
interface Drop {
  /** As on disk (rewritten when an object it lists is opened meanwhile). */
  tombstone: Tombstone;
  /** Listed files this drop has not deleted yet. */
  readonly remaining: Set<string>;
  scheduleCleared: boolean;
}

/** The objects in a schedule file nobody in this namespace instance has open. */
function scheduledActorIds(engine: SqlEngine, location: string): string[] {
  if (!existsSync(location)) return [];
  const db = engine.open(location);
  try {
    if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_cf_ALARM'").get() === undefined) return [];
    return db.prepare<{ actor_id: string }>("SELECT actor_id FROM _cf_ALARM").all().map((row) => row.actor_id);
  } finally {
    db.close();
  }
}

/** A namespace without an alarm handler still empties a schedule another process left (workerd's file). */
async function clearSchedule(engine: SqlEngine, location: string): Promise<void> {
  if (!existsSync(location)) return;
  const db = engine.open(location);
  try {
    if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_cf_ALARM'").get() !== undefined) {
      db.transaction(() => {
        db.exec("DELETE FROM _cf_ALARM");
        deleteRetries(db);
      });
    }
    await db.flush();
  } finally {
    db.close();
  }
}

/**
 * Deletes every object of every namespace that is not `preventEviction` (workerd's
 * `deleteAllDurableObjects()` from `workerd:unsafe`); see {@link CellarDurableObjectNamespace.deleteAll}.
 * Every namespace is attempted; their failures are thrown together as one AggregateError.
 */
export async function deleteAllDurableObjects(namespaces: Iterable<CellarDurableObjectNamespace>): Promise<void> {
  const errors: unknown[] = [];
  for (const namespace of namespaces) {
    if (namespace.preventEviction) continue;
    try {
      await namespace.deleteAll();
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, `deleteAllDurableObjects() failed in ${errors.length} namespaces: ${errors.map((error) => (error as Error).message).join("; ")}`);
}
