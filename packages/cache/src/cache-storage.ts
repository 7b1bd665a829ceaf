import { systemClock, type SweepResult } from "@cellar/blob-store";
import { createCacheGateway, type CellarCache } from "./cache-gateway.js";
import { CACHE_ERROR_MESSAGES, CacheClosedError } from "./cache-errors.js";
import { DEFAULT_MAX_OBJECT_SIZE, MAX_CACHE_NAME_BYTES, MAX_OBJECT_SIZE_LIMIT } from "./cache-limits.js";
import type { CacheStorageOptions, CacheSweepOptions } from "./cache-storage-options.js";
import { createCacheStore } from "./cache-store.js";
import type { CacheBackend } from "./cache-backend.js";
import { createNoopCacheBackend } from "./noop-cache-backend.js";
import { createStorageDecider } from "./storage-decision.js";

/** A cache storage: the Workers `CacheStorage` API (`caches`) plus maintenance over every cache it opened. */
export interface CellarCacheStorage {
  /** The default cache (`caches.default`), stored under the name `default`. */
  readonly default: CellarCache;
  /**
   * The cache named `cacheName`, stored under `named:<cacheName>`, isolated from `default` and
   * from every other name. The same name gives the same cache.
   *
   * @throws {TypeError} (rejects) `Cache name is too long.` for 1024 UTF-8 bytes or more.
   */
  open(cacheName: string): Promise<CellarCache>;
  /** `purgeExpired()` on every cache used so far; resolves with the total. */
  purgeExpired(): Promise<number>;
  /** `sweep()` on every cache used so far; resolves with the summed result. */
  sweep(options?: CacheSweepOptions): Promise<SweepResult>;
  /** Resolves once every cache's writes and blob deletes so far have settled. */
  idle(): Promise<void>;
  /**
   * Waits like {@link idle}, then closes every cache's stores that came with a `close()`. Later
   * calls on the storage or its caches reject with `CacheClosedError`. Idempotent.
   */
  close(): Promise<void>;
}

const DEFAULT_PURGE_BATCH_SIZE = 100;
const USAGE_WARNING = "Cache operations will have no impact if you deploy to a workers.dev subdomain!";
const defaultLogger = { warn: (message: string, error?: unknown) => console.warn(message, ...(error === undefined ? [] : [error])) };

/**
 * Creates a Workers `CacheStorage` over cellar stores, with production semantics: HTTP caching
 * rules decided by http-cache-semantics as Cloudflare applies them, the runtime's validation and
 * messages, conditional and range matches, and the local deviations of spec cache.md §6 (C1-C7).
 * Each cache gets Miniflare 4's `_mf_entries` table in its own database and its bodies in its
 * own blob store, so persisted caches are readable by `wrangler dev` and the other way round.
 *
 * @throws {TypeError} for invalid options
 */
export function createCacheStorage(options: CacheStorageOptions): CellarCacheStorage {
  const { open, cache = true } = options ?? {};
  if (cache !== true && cache !== false) throw new TypeError(`cache must be a boolean, got ${String(cache)}`);
  if (cache && typeof open !== "function") throw new TypeError("createCacheStorage needs an open(name) function returning the stores of a cache");
  const clock = options.clock ?? systemClock;
  if (typeof clock?.now !== "function") throw new TypeError("clock must have a now() method");
  const maxObjectSize = options.maxObjectSize ?? DEFAULT_MAX_OBJECT_SIZE;
  if (!Number.isSafeInteger(maxObjectSize) || maxObjectSize < 0 || maxObjectSize > MAX_OBJECT_SIZE_LIMIT) {
    throw new TypeError(`maxObjectSize must be an integer from 0 to ${MAX_OBJECT_SIZE_LIMIT} (5 GiB), got ${String(maxObjectSize)}`);
  }
  const purgeBatchSize = options.purgeBatchSize ?? DEFAULT_PURGE_BATCH_SIZE;
  if (!Number.isSafeInteger(purgeBatchSize) || purgeBatchSize < 0) {
    throw new TypeError(`purgeBatchSize must be a non-negative integer, got ${String(purgeBatchSize)}`);
  }
  const logger = options.logger ?? defaultLogger;
  const decide = createStorageDecider(clock);
  let warned = !options.warnUsage;
  let closed = false;
  const onUse = (): void => {
    if (closed) throw new CacheClosedError();
    if (warned) return;
    warned = true;
    logger.warn(USAGE_WARNING);
  };

  const backends = new Map<string, CacheBackend>();
  const caches = new Map<string, CellarCache>();
  function cacheNamed(name: string): CellarCache {
    let gateway = caches.get(name);
    if (gateway === undefined) {
      const backend = cache
        ? createCacheStore({ name, open: () => open!(name), clock, logger, maxObjectSize, purgeBatchSize })
        : createNoopCacheBackend();
      gateway = createCacheGateway(backend, { clock, decide, onUse });
      backends.set(name, backend);
      caches.set(name, gateway);
    }
    return gateway;
  }
  const eachBackend = async <T>(run: (backend: CacheBackend) => Promise<T>): Promise<T[]> => {
    if (closed) throw new CacheClosedError();
    return Promise.all([...backends.values()].map(run));
  };

  return {
    get default() {
      return cacheNamed("default");
    },
    async open(cacheName) {
      if (closed) throw new CacheClosedError();
      const name = String(cacheName);
      if (Buffer.byteLength(name) >= MAX_CACHE_NAME_BYTES) throw new TypeError(CACHE_ERROR_MESSAGES.nameTooLong);
      return cacheNamed(`named:${name}`);
    },
    async purgeExpired() {
      const counts = await eachBackend((backend) => backend.purgeExpired());
      return counts.reduce((total, count) => total + count, 0);
    },
    async sweep(sweepOptions) {
      const results = await eachBackend((backend) => backend.sweep(sweepOptions));
      return results.reduce(
        (total, result) => ({
          deletedBlobs: total.deletedBlobs + result.deletedBlobs,
          deletedPartials: total.deletedPartials + result.deletedPartials,
          freedBytes: total.freedBytes + result.freedBytes,
        }),
        { deletedBlobs: 0, deletedPartials: 0, freedBytes: 0 },
      );
    },
    async idle() {
      await Promise.all([...backends.values()].map((backend) => backend.idle()));
    },
    async close() {
      closed = true;
      await Promise.all([...backends.values()].map((backend) => backend.close()));
    },
  };
}
