/**
 * The structural shapes the Durable Object storage suite drives, declared here so it depends on
 * no implementation: `@cellar/durable-objects`, a wrapper, or your own.
 */
export interface DurableObjectStorageLike {
  get(key: string | string[], options?: unknown): Promise<any>;
  put(keyOrEntries: any, value?: unknown, options?: unknown): Promise<void>;
  delete(key: string | string[], options?: unknown): Promise<any>;
  list(options?: Record<string, unknown>): Promise<Map<string, unknown>>;
  deleteAll(options?: unknown): Promise<void>;
  transaction<T>(closure: (txn: any) => Promise<T>): Promise<T>;
  transactionSync<T>(closure: () => T): T;
  sync(): Promise<void>;
  getCurrentBookmark(): Promise<string>;
  readonly kv: {
    get(key: string): unknown;
    put(key: string, value: unknown): void;
    delete(key: string): boolean;
    list(options?: Record<string, unknown>): Iterable<[string, unknown]>;
  };
  readonly sql: {
    exec(query: string, ...bindings: unknown[]): {
      toArray(): Record<string, unknown>[];
      one(): Record<string, unknown>;
      raw(): IterableIterator<unknown[]>;
      readonly columnNames: string[];
      readonly rowsRead: number;
      readonly rowsWritten: number;
      [Symbol.iterator](): Iterator<Record<string, unknown>>;
    };
    readonly databaseSize: number;
  };
}

/** One object of a namespace under test. */
export interface DurableObjectFixture {
  /** The object's storage (SQLite-backed mode). */
  readonly storage: DurableObjectStorageLike;
  /** The same object's storage in a KV-backed namespace (KV-mode limits, no `sql`/`kv`). */
  readonly kvModeStorage: DurableObjectStorageLike;
  /** Closes everything and opens the object again over the same files; undefined when data cannot outlive the process (memory). */
  readonly reopen: (() => Promise<DurableObjectStorageLike>) | undefined;
  /**
   * Backdoor: the committed `_cf_KV` rows of the object's file (key, value bytes), read through a
   * second connection, after `storage.sync()` unless `sync: false`. Undefined in memory.
   */
  readonly rawRows: ((options?: { sync?: boolean }) => Promise<{ key: string; value: Uint8Array }[]>) | undefined;
  /** Releases every resource. */
  cleanup(): Promise<void>;
}

/** What `describeDurableObjectStorage` needs. */
export interface DescribeDurableObjectStorageOptions {
  /** Shown in test titles, e.g. `"better-sqlite3 file"`. */
  readonly name: string;
  /** A fresh, isolated object per test. */
  readonly create: () => Promise<DurableObjectFixture>;
}
