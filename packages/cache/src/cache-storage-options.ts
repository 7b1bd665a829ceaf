import type { BlobReaperLogger, BlobStore, Clock } from "@cellar/blob-store";
import type { SqlDatabase } from "@cellar/metadata-store";

/** The stores of one cache: its SQLite database and its blob store. */
export interface CacheStores {
  /**
   * The cache's database (`cache/miniflare-CacheObject/<idFromName(name)>.sqlite` when
   * persisted). The cache creates `_mf_entries` if it is missing and never adds anything else.
   */
  readonly metadata: SqlDatabase;
  /** Where bodies live, one immutable blob per entry (`cache/<sanitisePath(name)>/blobs/`). */
  readonly blobs: BlobStore;
  /**
   * Called once by the cache storage's `close()`, after the cache's work has settled, to release
   * these stores. Without it the stores stay open: the caller owns them.
   */
  close?(): void | Promise<void>;
}

/** Where a cache storage reports problems it handles itself (a blob it could not delete, a damaged entry). */
export type CacheLogger = BlobReaperLogger;

/** Options of {@link createCacheStorage}. */
export interface CacheStorageOptions {
  /**
   * Opens the stores of one cache, at most once per name, when the cache is first used. `name`
   * is `"default"` for `caches.default` and `"named:<cacheName>"` for `caches.open(cacheName)`:
   * the name `wrangler dev` hashes (`idFromName("miniflare-CacheObject", name)`) and sanitises
   * (`sanitisePath(name)`, e.g. `named_<cacheName>`) for its files. A rejection fails the
   * operation that needed the stores; the next one tries again.
   *
   * Not needed when `cache` is `false`.
   */
  readonly open?: (name: string) => CacheStores | Promise<CacheStores>;
  /** The time, in epoch milliseconds, for freshness and expiry. Default `Date.now`. Inject one to test expiry without sleeping. */
  readonly clock?: Clock;
  /**
   * `false` installs Miniflare's no-op cache: `match` misses, `put` drains the body and stores
   * nothing, `delete` returns `false`. Arguments are still validated. Default `true`.
   */
  readonly cache?: boolean;
  /**
   * The largest body stored, in bytes (spec C4). Larger responses are drained and not stored,
   * and `put` resolves. Default 512 MiB; at most 5 GiB (Enterprise).
   */
  readonly maxObjectSize?: number;
  /**
   * How many expired entries each stored `put` purges at most, in its own transaction (spec
   * C3), so expired entries do not pile up in a cache that is never matched. Default 100; 0
   * disables it (expired entries are still never served; `purgeExpired()` removes them all).
   */
  readonly purgeBatchSize?: number;
  /**
   * Log once, on first use, Miniflare's `Cache operations will have no impact if you deploy to a
   * workers.dev subdomain!` (its `cacheWarnUsage`). Default `false`.
   */
  readonly warnUsage?: boolean;
  /** Receives warnings. Default: `console.warn`. */
  readonly logger?: CacheLogger;
}

/** Options of `sweep`. */
export interface CacheSweepOptions {
  /**
   * Only blobs created more than this many milliseconds ago (by the storage's clock) are
   * deleted, so writes in flight in other processes are never swept. Default one hour.
   */
  readonly graceMs?: number;
}
