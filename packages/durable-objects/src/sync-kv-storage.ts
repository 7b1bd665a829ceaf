import { keyRange, type ListOptions } from "./key-range.js";
import type { KvContext } from "./kv-operations.js";
import { MESSAGES } from "./messages.js";
import { checkEntry } from "./storage-limits.js";
import { deserializeValue, serializeValue } from "./value-codec.js";

/**
 * `ctx.storage.kv`: the synchronous KV API of SQLite-backed objects, over the same `_cf_KV` rows
 * as the async API. Writes join the implicit transaction.
 */
export class CellarSyncKvStorage {
  readonly #context: KvContext;
  #generation = 0;

  constructor(context: KvContext) {
    this.#context = context;
  }

  /** The value, or `undefined`. */
  get<T = unknown>(key: string): T | undefined {
    const bytes = this.#context.table.get(String(key));
    return bytes === undefined ? undefined : (deserializeValue(bytes) as T);
  }

  /** Stores `value`; unlike the async `put`, `undefined` is a storable value. */
  put<T>(key: string, value: T): void {
    const bytes = serializeValue(value);
    checkEntry(this.#context.mode, String(key), bytes);
    void this.#context.object.beginWrite();
    this.#context.table.put(String(key), bytes);
  }

  /** Deletes `key`; true when it existed. */
  delete(key: string): boolean {
    void this.#context.object.beginWrite();
    return this.#context.table.delete(String(key));
  }

  /** Entries in UTF-8 key order. Only one iterator lives at a time: a new `list()` invalidates the previous one. */
  list<T = unknown>(options?: ListOptions): Iterable<[string, T]> & Iterator<[string, T]> {
    const rows = this.#context.table.list(keyRange(options ?? {}));
    const generation = ++this.#generation;
    let index = 0;
    const iterator = {
      next: (): IteratorResult<[string, T]> => {
        if (generation !== this.#generation && index < rows.length) throw new Error(MESSAGES.kvListInvalidated);
        const row = rows[index++];
        return row === undefined ? { done: true, value: undefined } : { done: false, value: [row[0], deserializeValue(row[1]) as T] };
      },
      [Symbol.iterator]() {
        return iterator;
      },
    };
    return iterator;
  }
}
