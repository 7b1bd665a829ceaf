import { AsyncLocalStorage } from "node:async_hooks";
import type { ListOptions } from "./key-range.js";
import { CellarDurableObjectFacets, type FacetPlace } from "./facets.js";
import { KvTable } from "./kv-table.js";
import { atomically, deleteOperation, getOperation, listOperation, putOperation, type KvContext } from "./kv-operations.js";
import { MESSAGES } from "./messages.js";
import type { AlarmOptions, ObjectAlarms } from "./object-alarms.js";
import type { ObjectDatabase } from "./object-database.js";
import { CellarSqlStorage } from "./sql-storage.js";
import { BOOKMARK_KEY, CREATE_METADATA_TABLE } from "./storage-schema.js";
import type { StorageMode } from "./storage-limits.js";
import { CellarDurableObjectTransaction, type StorageOperationOptions } from "./storage-transaction.js";
import { CellarSyncKvStorage } from "./sync-kv-storage.js";

interface TransactionScope {
  readonly storage: CellarDurableObjectStorage;
  readonly txn: CellarDurableObjectTransaction;
  readonly depth: number;
}

/** Which transaction (if any) the running code is inside; it tells the closure's own calls from everyone else's. */
const scopes = new AsyncLocalStorage<TransactionScope>();

/**
 * `ctx.storage` of one object, with the `DurableObjectStorage` shape. Calls run synchronously on the object's SQLite database when made, so a burst of
 * writes shares one implicit transaction (write coalescing); write promises resolve once that
 * transaction has committed and is durable, unless `allowUnconfirmed`.
 */
export class CellarDurableObjectStorage {
  readonly #object: ObjectDatabase;
  readonly #context: KvContext;
  readonly #mode: StorageMode;
  readonly #kv: CellarSyncKvStorage;
  readonly #sql: CellarSqlStorage;
  readonly #alarms: ObjectAlarms;
  readonly #place: FacetPlace;
  readonly #facets: CellarDurableObjectFacets;
  /** Set while a top-level `transaction()` runs: other callers wait, as blockConcurrencyWhile makes them. */
  #exclusive: Promise<void> | undefined;
  #syncDepth = 0;

  /** Use `namespace.get(id).storage`. */
  constructor(object: ObjectDatabase, mode: StorageMode, alarms: ObjectAlarms, place: FacetPlace) {
    this.#object = object;
    this.#place = place;
    this.#facets = new CellarDurableObjectFacets(place);
    this.#alarms = alarms;
    this.#mode = mode;
    this.#context = { object, table: new KvTable(object), mode };
    this.#kv = new CellarSyncKvStorage(this.#context);
    this.#sql = new CellarSqlStorage(object);
  }

  /** `ctx.facets`: child facets, each with its own storage (see {@link CellarDurableObjectFacets}). */
  get facets(): CellarDurableObjectFacets {
    return this.#facets;
  }

  /** The synchronous KV API (SQLite-backed objects only). */
  get kv(): CellarSyncKvStorage {
    if (this.#mode !== "sqlite") throw new Error(MESSAGES.kvNotSqlite);
    return this.#kv;
  }

  /** The SQL API (SQLite-backed objects only). */
  get sql(): CellarSqlStorage {
    if (this.#mode !== "sqlite") throw new Error(MESSAGES.sqlNotSqlite);
    return this.#sql;
  }

  get<T = unknown>(key: string, options?: StorageOperationOptions): Promise<T | undefined>;
  get<T = unknown>(keys: string[], options?: StorageOperationOptions): Promise<Map<string, T>>;
  /** One value (or `undefined`), or a Map of the keys that exist, in UTF-8 order. */
  async get(keys: string | string[], _options?: StorageOperationOptions): Promise<unknown> {
    if (this.#mustWait()) await this.#wait();
    return getOperation(this.#context, keys);
  }

  /** Entries in UTF-8 key order; see `ListOptions`. */
  async list<T = unknown>(options?: ListOptions & StorageOperationOptions): Promise<Map<string, T>> {
    if (this.#mustWait()) await this.#wait();
    return listOperation(this.#context, options) as Map<string, T>;
  }

  put<T>(key: string, value: T, options?: StorageOperationOptions): Promise<void>;
  put<T>(entries: Record<string, T>, options?: StorageOperationOptions): Promise<void>;
  /** Stores one value, or several atomically (entries whose value is `undefined` are skipped). */
  async put(keyOrEntries: unknown, ...rest: unknown[]): Promise<void> {
    if (this.#mustWait()) await this.#wait();
    const isEntries = keyOrEntries !== null && typeof keyOrEntries === "object";
    const options = (isEntries ? rest[0] : rest[1]) as StorageOperationOptions | undefined;
    const committed = putOperation(this.#context, keyOrEntries, rest[0], rest.length > 0);
    await this.#confirm(committed, options);
  }

  delete(key: string, options?: StorageOperationOptions): Promise<boolean>;
  delete(keys: string[], options?: StorageOperationOptions): Promise<number>;
  /** Deletes keys: whether the key existed, or how many of the keys did. */
  async delete(keys: string | string[], options?: StorageOperationOptions): Promise<boolean | number> {
    if (this.#mustWait()) await this.#wait();
    const { result, committed } = deleteOperation(this.#context, keys);
    await this.#confirm(committed, options);
    return result;
  }

  /**
   * Deletes everything: pending writes are rolled back, the file is deleted and an empty one
   * takes its place (SQL tables included), as workerd does.
   */
  async deleteAll(_options?: StorageOperationOptions): Promise<void> {
    if (scopes.getStore()?.storage === this || this.#syncDepth > 0) throw new Error(MESSAGES.deleteAllInTransaction);
    if (this.#mustWait()) await this.#wait();
    this.#object.reset();
    // Every descendant facet's database goes too (the `.facets` index stays: ids are never reused).
    this.#place.tree.deleteChildren(this.#place.node);
    // The alarm lived in the deleted file (workerd's default `delete_all_deletes_alarm`).
    this.#alarms.deleted();
  }

  /** The alarm's time (ms since the epoch), or null; null while its own handler runs, unless the handler set a new one. */
  async getAlarm(_options?: { allowConcurrency?: boolean }): Promise<number | null> {
    if (this.#mustWait()) await this.#wait();
    return this.#alarms.get();
  }

  /**
   * Sets the object's one alarm (replacing any), in `_cf_METADATA` key 1, so it commits and rolls
   * back with the other writes. A past time means now; a time <= 0 is a TypeError, and so is a
   * namespace without an alarm handler.
   */
  async setAlarm(scheduledTime: number | Date, options?: AlarmOptions): Promise<void> {
    if (this.#place.node !== 0) throw new Error(MESSAGES.facetAlarm);
    if (this.#mustWait()) await this.#wait();
    await this.#confirm(this.#alarms.set(scheduledTime), options);
  }

  /** Clears the alarm (the row of `_cf_METADATA` key 1 stays, with NULL). */
  async deleteAlarm(options?: AlarmOptions): Promise<void> {
    if (this.#mustWait()) await this.#wait();
    await this.#confirm(this.#alarms.delete(), options);
  }

  /**
   * Runs `closure` in a transaction (`SAVEPOINT _cf_savepoint_<depth>`): a throw or
   * `txn.rollback()` undoes its writes. Other callers wait until it ends; calls nest.
   */
  async transaction<T>(closure: (txn: CellarDurableObjectTransaction) => Promise<T>): Promise<T> {
    const parent = scopes.getStore();
    if (parent?.storage === this) return this.#runTransaction(closure, parent.depth + 1, parent.txn);
    while (this.#exclusive !== undefined) await this.#exclusive;
    let done!: () => void;
    this.#exclusive = new Promise((resolve) => (done = resolve));
    try {
      await this.#object.settle();
      this.#object.hold();
      let result: T;
      let committed: Promise<void>;
      try {
        committed = this.#object.beginWrite();
        result = await this.#runTransaction(closure, 0, undefined);
      } finally {
        this.#object.release();
      }
      await committed;
      return result;
    } finally {
      this.#exclusive = undefined;
      done();
    }
  }

  async #runTransaction<T>(closure: (txn: CellarDurableObjectTransaction) => Promise<T>, depth: number, parent: CellarDurableObjectTransaction | undefined): Promise<T> {
    const txn = new CellarDurableObjectTransaction(this.#context, this.#alarms);
    const name = `_cf_savepoint_${depth}`;
    const db = this.#object.db;
    void this.#object.beginWrite();
    db.exec(`SAVEPOINT ${name}`);
    if (parent !== undefined) parent.children++;
    const undo = (): void => {
      const open = this.#object.db;
      open.exec(`ROLLBACK TO ${name}`);
      open.exec(`RELEASE ${name}`);
    };
    try {
      const result = await scopes.run({ storage: this, txn, depth }, () => closure(txn));
      if (txn.rolledBack) undo();
      else this.#object.db.exec(`RELEASE ${name}`);
      return result;
    } catch (error) {
      undo();
      throw error;
    } finally {
      txn.finish();
      if (parent !== undefined) parent.children--;
    }
  }

  /** Runs `closure` synchronously in `SAVEPOINT _cf_sync_savepoint_<depth>`; a throw rolls it back. */
  transactionSync<T>(closure: () => T): T {
    if (this.#mode !== "sqlite") throw new Error(MESSAGES.transactionSyncNotSqlite);
    void this.#object.beginWrite();
    this.#syncDepth++;
    try {
      let result!: T;
      atomically(this.#object, `_cf_sync_savepoint_${this.#syncDepth - 1}`, () => {
        result = closure();
      });
      return result;
    } finally {
      this.#syncDepth--;
    }
  }

  /** Resolves once every write made before the call is committed and durable. */
  async sync(): Promise<void> {
    await this.#object.sync();
  }

  /**
   * The local development bookmark, as workerd makes it: a counter in `_cf_METADATA` key 2,
   * incremented on every call, formatted `%08x-%08x-00000000-` plus 32 zeros.
   */
  async getCurrentBookmark(): Promise<string> {
    if (this.#mustWait()) await this.#wait();
    const committed = this.#object.beginWrite();
    this.#object.db.exec(CREATE_METADATA_TABLE);
    const row = this.#object.statement("SELECT value FROM _cf_METADATA WHERE key = ?").get(BOOKMARK_KEY) as { value: number | null } | undefined;
    const bookmark = row === undefined || row.value === null ? 0 : Number(row.value) + 1;
    this.#object.statement("INSERT INTO _cf_METADATA VALUES(?, ?) ON CONFLICT DO UPDATE SET value = excluded.value").run(BOOKMARK_KEY, bookmark);
    if (scopes.getStore()?.storage !== this) await committed;
    const hex = (value: number): string => value.toString(16).padStart(8, "0");
    const uint32Max = 0xffff_ffff;
    return [hex(Math.floor(bookmark / uint32Max)), hex(bookmark % uint32Max), hex(0), "0".repeat(32)].join("-");
  }

  /** Point-in-time recovery is not available locally; the runtime's message says so. */
  async getBookmarkForTime(_timestamp: number | Date): Promise<string> {
    throw new Error(MESSAGES.noPointInTimeRecovery);
  }

  /** Point-in-time recovery is not available locally; the runtime's message says so. */
  async onNextSessionRestoreBookmark(_bookmark: string): Promise<string> {
    throw new Error(MESSAGES.noPointInTimeRecovery);
  }

  /** A no-op locally: there are no replicas to wait for. */
  async waitForBookmark(_bookmark: string): Promise<void> {}

  #mustWait(): boolean {
    return this.#exclusive !== undefined && scopes.getStore()?.storage !== this;
  }

  async #wait(): Promise<void> {
    while (this.#mustWait()) await this.#exclusive;
  }

  async #confirm(committed: Promise<void>, options: StorageOperationOptions | undefined): Promise<void> {
    // Inside a transaction the commit waits for the closure, so waiting here would deadlock.
    if (options?.allowUnconfirmed === true || scopes.getStore()?.storage === this) return;
    await committed;
  }
}
