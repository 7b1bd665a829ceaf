/**
 * The smallest structural shape of a Workers `KVNamespace` the suite drives. Declared here so the
 * suite depends on no implementation: `@cellar/kv`, Miniflare's binding, or your own.
 */
export interface KVNamespaceLike {
  get(key: string | string[], options?: unknown): Promise<any>;
  getWithMetadata(key: string | string[], options?: unknown): Promise<any>;
  put(key: string, value: unknown, options?: unknown): Promise<void>;
  delete(key: string): Promise<void>;
  list(options?: unknown): Promise<KVListResultLike>;
}

/** A `list` page as the suite reads it. */
export interface KVListResultLike {
  keys: { name: string; expiration?: number; metadata?: unknown }[];
  list_complete: boolean;
  cursor?: string;
  cacheStatus: string | null;
}

/** A stored `_mf_entries` row, as Miniflare's schema holds it. */
export interface KVRow {
  readonly key: string;
  readonly blob_id: string;
  /** Epoch milliseconds, or `null`. */
  readonly expiration: number | null;
  /** JSON text, or `null`. */
  readonly metadata: string | null;
}

/**
 * Backdoor hooks that read or damage stored state without going through the namespace under
 * test. Each is optional; declare the ones you provide in `capabilities`, and the tests that need
 * one you lack are skipped with the hook named in their title.
 */
export interface KVInspect {
  /**
   * How many value blobs the blob store holds. Called once the namespace has settled: a
   * namespace that deletes old blobs in the background must finish those deletes first.
   */
  blobCount?(): Promise<number>;
  /** Every `_mf_entries` row, in key order, read straight from the database. */
  rows?(): Promise<KVRow[]>;
  /** Deletes the blob that `key`'s row points to, behind the namespace's back; resolves with its id. */
  removeBlob?(key: string): Promise<string>;
}

/** One isolated namespace for one test, and how to tear it down. */
export interface KVFixture {
  /** The namespace under test. */
  readonly kv: KVNamespaceLike;
  /** Releases everything the fixture created (databases, temp dirs). */
  cleanup(): Promise<void>;
  /** A new namespace over the same storage, as after a restart; required when `capabilities.persistent`. */
  reopen?(): Promise<KVNamespaceLike>;
  /** Backdoor hooks; see {@link KVInspect}. */
  readonly inspect?: KVInspect;
}

/** What the backend under test offers beyond the KV API; each `false` skips the tests that need it. */
export interface KVSuiteCapabilities {
  /** Values survive `reopen()`. */
  readonly persistent?: boolean;
  /** The fixture provides `inspect.blobCount`. */
  readonly blobCount?: boolean;
  /** The fixture provides `inspect.rows`. */
  readonly rows?: boolean;
  /** The fixture provides `inspect.removeBlob`. */
  readonly removeBlob?: boolean;
}

/** A clock the suite sets by hand, so expiry is tested without sleeping. */
export interface KVTestClock {
  /** The current time in epoch milliseconds. */
  now(): number;
}

/** What every `describeKV*` function takes. */
export interface DescribeKVOptions {
  /** Shown as the outermost `describe` block, e.g. `"kv (fs + better-sqlite3 file)"`. */
  readonly name: string;
  /**
   * A fresh, isolated namespace per test (its own database and blob directory) that reads the
   * time from `clock`. The suite moves the clock to test expiry.
   */
  create(context: { readonly clock: KVTestClock }): Promise<KVFixture>;
  /** Defaults to none. */
  readonly capabilities?: KVSuiteCapabilities;
}
