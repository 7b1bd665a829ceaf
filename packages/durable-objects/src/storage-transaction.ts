import type { ListOptions } from "./key-range.js";
import { deleteOperation, getOperation, listOperation, putOperation, type KvContext } from "./kv-operations.js";
import { MESSAGES, alreadyCommitted, rolledBack } from "./messages.js";
import type { AlarmOptions, ObjectAlarms } from "./object-alarms.js";

/** Options the KV calls accept; `allowConcurrency`, `allowUnconfirmed` and `noCache` change nothing inside a transaction. */
export interface StorageOperationOptions {
  readonly allowConcurrency?: boolean;
  readonly allowUnconfirmed?: boolean;
  readonly noCache?: boolean;
}

/**
 * The `txn` handed to `storage.transaction(closure)`. Its calls run inside the transaction's
 * savepoint; after `rollback()` or after the closure returned, every call fails with the
 * runtime's message.
 */
export class CellarDurableObjectTransaction {
  readonly #context: KvContext;
  readonly #alarms: ObjectAlarms;
  #state: "open" | "rolledBack" | "committed" = "open";
  /** Nested transactions still running. */
  children = 0;

  constructor(context: KvContext, alarms: ObjectAlarms) {
    this.#context = context;
    this.#alarms = alarms;
  }

  /** True once `rollback()` was called. */
  get rolledBack(): boolean {
    return this.#state === "rolledBack";
  }

  /** Called when the closure has returned. */
  finish(): void {
    if (this.#state === "open") this.#state = "committed";
  }

  get<T = unknown>(key: string, options?: StorageOperationOptions): Promise<T | undefined>;
  get<T = unknown>(keys: string[], options?: StorageOperationOptions): Promise<Map<string, T>>;
  /** As `storage.get`, inside the transaction. */
  async get(keys: string | string[], _options?: StorageOperationOptions): Promise<unknown> {
    this.#check("get");
    return getOperation(this.#context, keys);
  }

  /** As `storage.list`, inside the transaction. */
  async list<T = unknown>(options?: ListOptions & StorageOperationOptions): Promise<Map<string, T>> {
    this.#check("list");
    return listOperation(this.#context, options) as Map<string, T>;
  }

  put<T>(key: string, value: T, options?: StorageOperationOptions): Promise<void>;
  put<T>(entries: Record<string, T>, options?: StorageOperationOptions): Promise<void>;
  /** As `storage.put`, inside the transaction; resolves at once (the transaction commits later). */
  async put(keyOrEntries: unknown, ...rest: unknown[]): Promise<void> {
    this.#check("put");
    void putOperation(this.#context, keyOrEntries, rest[0], rest.length > 0);
  }

  delete(key: string, options?: StorageOperationOptions): Promise<boolean>;
  delete(keys: string[], options?: StorageOperationOptions): Promise<number>;
  /** As `storage.delete`, inside the transaction. */
  async delete(keys: string | string[], _options?: StorageOperationOptions): Promise<boolean | number> {
    this.#check("delete");
    return deleteOperation(this.#context, keys).result;
  }

  /** As `storage.getAlarm`, inside the transaction (sees its own `setAlarm`). */
  async getAlarm(_options?: { allowConcurrency?: boolean }): Promise<number | null> {
    this.#check("getAlarm");
    return this.#alarms.get();
  }

  /** As `storage.setAlarm`, inside the transaction: it rolls back with it. */
  async setAlarm(scheduledTime: number | Date, _options?: AlarmOptions): Promise<void> {
    this.#check("setAlarm");
    void this.#alarms.set(scheduledTime);
  }

  /** As `storage.deleteAlarm`, inside the transaction: it rolls back with it. */
  async deleteAlarm(_options?: AlarmOptions): Promise<void> {
    this.#check("deleteAlarm");
    void this.#alarms.delete();
  }

  /** Marks the transaction for rollback; its writes are undone when the closure returns. */
  rollback(): void {
    if (this.#state === "rolledBack") return;
    this.#check("rollback");
    if (this.children > 0) throw new Error(MESSAGES.outerRollbackWhileNested);
    this.#state = "rolledBack";
  }

  #check(op: string): void {
    if (this.#state === "rolledBack") throw rolledBack(op);
    if (this.#state === "committed") throw alreadyCommitted(op);
  }
}
