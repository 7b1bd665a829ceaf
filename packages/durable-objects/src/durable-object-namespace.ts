import { isAbsolute, join, resolve } from "node:path";
import type { SqlEngine } from "@cellar/metadata-store";
import { AlarmScheduler, type AlarmHandler, type AlarmTimers } from "./alarm-scheduler.js";
import { FileAlarmStore, MemoryAlarmStore } from "./alarm-store.js";
import { DatabasePool } from "./database-pool.js";
import { CellarDurableObjectId, IdFactory } from "./durable-object-id.js";
import type { DropProgress } from "./drop-tombstone.js";
import { CellarDurableObjectStorage } from "./durable-object-storage.js";
import { FacetTree } from "./facets.js";
import { openNamespaceDrops } from "./namespace-drop.js";
import { ObjectAlarms } from "./object-alarms.js";
import { ObjectDatabase } from "./object-database.js";
import { PAGE_SIZE } from "./storage-schema.js";
import type { StorageMode } from "./storage-limits.js";

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
  // Opening completes a drop a killed process left unfinished, before any object or alarm is read.
  const drops = openNamespaceDrops({ directory, engine: options.engine, onDropProgress: options.onDropProgress });
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
      drops.settleObject(hex);
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
      // Every old handle then throws on use, and `get(id)` opens a fresh one.
      const abortObjects = (reason: Error): void => {
        for (const handle of handles.values()) {
          handle.facets.abortAll(reason);
          handle.object.abort(reason);
        }
        handles.clear();
      };
      await drops.deleteAll(abortObjects, scheduler);
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
