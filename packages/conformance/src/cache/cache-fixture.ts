/**
 * The smallest structural shape of a Workers `Cache` the suite drives, declared here so the suite
 * depends on no implementation: `@cellar/cache`, Miniflare's binding, or your own. The suite
 * passes Node's `Request` and `Response`; a request with a custom key is a `Request` with a
 * `cf: { cacheKey }` property assigned.
 */
export interface CacheLike {
  match(request: Request | string | URL, options?: { ignoreMethod?: boolean }): Promise<Response | undefined>;
  put(request: Request | string | URL, response: Response): Promise<void>;
  delete(request: Request | string | URL, options?: { ignoreMethod?: boolean }): Promise<boolean>;
}

/** The smallest structural shape of a Workers `CacheStorage` (`caches`). */
export interface CacheStorageLike {
  readonly default: CacheLike;
  open(cacheName: string): Promise<CacheLike>;
}

/** A stored `_mf_entries` row of a cache, as Miniflare's schema holds it. */
export interface CacheRow {
  /** The cache key: the request URL, or its `cf.cacheKey`. */
  readonly key: string;
  readonly blob_id: string;
  /** Epoch milliseconds (possibly fractional), or `null`. */
  readonly expiration: number | null;
  /** JSON text `{"headers":[[name,value],...],"status":n,"size":n}`. */
  readonly metadata: string | null;
}

/**
 * Backdoor hooks that read or damage stored state without going through the cache under test.
 * `cacheName` is the name given to `caches.open`; omitted, it means `caches.default`. Each hook
 * is optional; declare the ones you provide in `capabilities`, and the tests needing one you
 * lack are skipped with the hook named in their title.
 */
export interface CacheInspect {
  /** Every `_mf_entries` row of a cache, in key order, read straight from its database. */
  rows?(cacheName?: string): Promise<CacheRow[]>;
  /**
   * How many blobs a cache's blob store holds. Called once the cache has settled: a cache that
   * deletes old blobs in the background must finish those deletes first.
   */
  blobCount?(cacheName?: string): Promise<number>;
  /** The bytes of one blob of a cache, straight from its blob store; `null` if missing. */
  blobBytes?(blobId: string, cacheName?: string): Promise<Uint8Array | null>;
  /** Deletes the blob that the entry under `key` points to, behind the cache's back; resolves with its id. */
  removeBlob?(key: string, cacheName?: string): Promise<string>;
  /** Writes a blob no entry references (as a crash between blob write and commit leaves); resolves with its id. */
  orphanBlob?(cacheName?: string): Promise<string>;
}

/** Maintenance the implementation offers beyond the Workers API (spec C3, C7). */
export interface CacheMaintenance {
  /** Deletes every expired entry of every cache and its blob now; resolves with how many. */
  purgeExpired?(): Promise<number>;
  /** Deletes unreferenced blobs created more than `graceMs` ago by the suite's clock; resolves with how many. */
  sweep?(options: { graceMs: number }): Promise<{ deletedBlobs: number }>;
}

/** One isolated cache storage for one test, and how to tear it down. */
export interface CacheFixture {
  /** The cache storage under test. */
  readonly caches: CacheStorageLike;
  /** Releases everything the fixture created (databases, temp dirs). */
  cleanup(): Promise<void>;
  /** A new cache storage over the same storage, as after a restart; required when `capabilities.persistent`. */
  reopen?(): Promise<CacheStorageLike>;
  /** Backdoor hooks; see {@link CacheInspect}. */
  readonly inspect?: CacheInspect;
  /** Maintenance calls; see {@link CacheMaintenance}. */
  readonly maintenance?: CacheMaintenance;
}

/** What the backend under test offers beyond the Cache API; each `false` skips the tests that need it. */
export interface CacheSuiteCapabilities {
  /** Entries survive `reopen()`. */
  readonly persistent?: boolean;
  /** The fixture provides `inspect.rows`. */
  readonly rows?: boolean;
  /** The fixture provides `inspect.blobCount`. */
  readonly blobCount?: boolean;
  /** The fixture provides `inspect.blobBytes`. */
  readonly blobBytes?: boolean;
  /** The fixture provides `inspect.removeBlob`. */
  readonly removeBlob?: boolean;
  /** The fixture provides `maintenance.purgeExpired`. */
  readonly purgeExpired?: boolean;
  /** The fixture provides `maintenance.sweep` and `inspect.orphanBlob` (and needs `blobCount`). */
  readonly sweep?: boolean;
  /** `create` honours `context.maxObjectSize` (spec C4). */
  readonly maxObjectSize?: boolean;
}

/** A clock the suite sets by hand, so freshness and expiry are tested without sleeping. */
export interface CacheTestClock {
  /** The current time in epoch milliseconds. */
  now(): number;
}

/** What `create` gets. */
export interface CacheFixtureContext {
  /** The time for freshness, expiry and blob ages. The suite moves it. */
  readonly clock: CacheTestClock;
  /**
   * When set, the largest body the cache may store, in bytes (its default is 512 MiB, far too
   * large to test). Honour it and declare `capabilities.maxObjectSize`.
   */
  readonly maxObjectSize?: number;
}

/** What every `describeCache*` function takes. */
export interface DescribeCacheOptions {
  /** Shown as the outermost `describe` block, e.g. `"cache (fs blobs + better-sqlite3 file)"`. */
  readonly name: string;
  /** A fresh, isolated cache storage per test (its own databases and blob directories). */
  create(context: CacheFixtureContext): Promise<CacheFixture>;
  /** Defaults to none. */
  readonly capabilities?: CacheSuiteCapabilities;
}
