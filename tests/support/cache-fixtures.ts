import type { Clock } from "@cellar/blob-store";
import { OBJECT_CLASS, idFromName } from "@cellar/metadata-store";
import { createCacheStorage, type CacheStorageOptions, type CellarCacheStorage } from "@cellar/cache";
import type { CacheFixture, CacheRow, CacheStorageLike, DescribeCacheOptions } from "@cellar/conformance";
import { BACKENDS, backendName, countBlobs, openBackend, type Backend, type OpenedBackend } from "./backends.ts";

/** Every backend combination, for the cache suite. */
export const CACHE_BACKENDS = BACKENDS;

/**
 * A cache storage on `backend`, each cache in its own temp directory (named by its object id, so
 * 1023-byte cache names fit in a path), plus what the tests need to look behind it. The exact
 * `wrangler dev` layout is tested on its own.
 */
export interface OpenedCaches {
  /** The storage under test. */
  readonly caches: CellarCacheStorage;
  /** The stores of a cache: `"default"` or `"named:<cacheName>"`; opened on demand. */
  stores(name: string): Promise<OpenedBackend>;
  /** The stores of a cache if it was opened, else `undefined`. */
  opened(name: string): Promise<OpenedBackend | undefined>;
  /** A new storage over the same files (memory blobs carry over; `:memory:` databases start empty). */
  reopen(): Promise<OpenedCaches>;
  /** Closes everything and removes the temp directories. */
  cleanup(): Promise<void>;
}

/** Opens a cache storage on `backend`; `options` go to `createCacheStorage`. */
export function openCaches(backend: Backend, options: Partial<CacheStorageOptions> & { clock?: Clock } = {}): OpenedCaches {
  return openOver(backend, options, new Map());
}

function openOver(backend: Backend, options: Partial<CacheStorageOptions> & { clock?: Clock }, backends: Map<string, Promise<OpenedBackend>>): OpenedCaches {
  const stores = (name: string): Promise<OpenedBackend> => {
    let opening = backends.get(name);
    if (opening === undefined) {
      opening = openBackend(backend, { product: "cache", namespace: idFromName(OBJECT_CLASS.cache, name), clock: options.clock });
      backends.set(name, opening);
    }
    return opening;
  };
  const caches = createCacheStorage({ ...options, open: (name) => stores(name) });
  return {
    caches,
    stores,
    opened: async (name) => backends.get(name),
    async reopen() {
      await caches.close();
      const reopened = new Map<string, Promise<OpenedBackend>>();
      for (const [name, opening] of backends) reopened.set(name, (await opening).reopen());
      return openOver(backend, options, reopened);
    },
    async cleanup() {
      await caches.close();
      for (const opening of backends.values()) await (await opening).cleanup();
    },
  };
}

/** The stores' name of `caches.open(cacheName)`, or of `caches.default` when `cacheName` is undefined. */
export function storesName(cacheName: string | undefined): string {
  return cacheName === undefined ? "default" : `named:${cacheName}`;
}

/** The rows of `_mf_entries` of an opened cache, straight from SQL. */
export function readCacheRows(stores: OpenedBackend | undefined): CacheRow[] {
  if (stores === undefined) return [];
  return stores.metadata.prepare<CacheRow>("SELECT key, blob_id, expiration, metadata FROM _mf_entries ORDER BY key").all();
}

/** Changes to the cache under test, to prove the suite fails on a broken one (tests/broken/). */
export interface CacheSuiteOverrides {
  /** Options replacing the suite's (e.g. a frozen `clock`). */
  readonly storage?: Partial<CacheStorageOptions>;
  /** Wraps the storage the fixture hands to the suite. */
  readonly wrap?: (caches: CellarCacheStorage) => CacheStorageLike;
}

/** The conformance suite's options for one backend. */
export function cacheSuiteOptions(backend: Backend, name = `cache (${backendName(backend)})`, overrides: CacheSuiteOverrides = {}): DescribeCacheOptions {
  const wrap = overrides.wrap ?? ((caches: CellarCacheStorage): CacheStorageLike => caches);
  return {
    name,
    capabilities: {
      persistent: backend.database === "file",
      rows: true,
      blobCount: true,
      blobBytes: true,
      removeBlob: true,
      purgeExpired: true,
      sweep: true,
      maxObjectSize: true,
    },
    async create({ clock, maxObjectSize }) {
      let opened = openCaches(backend, { clock, maxObjectSize, ...overrides.storage });
      let wrapped = wrap(opened.caches);
      const fixture: CacheFixture = {
        get caches() {
          return wrapped;
        },
        cleanup: () => opened.cleanup(),
        async reopen() {
          opened = await opened.reopen();
          wrapped = wrap(opened.caches);
          return wrapped;
        },
        inspect: {
          rows: async (cacheName) => readCacheRows(await opened.opened(storesName(cacheName))),
          async blobCount(cacheName) {
            await opened.caches.idle();
            const stores = await opened.opened(storesName(cacheName));
            return stores === undefined ? 0 : countBlobs(stores);
          },
          async blobBytes(blobId, cacheName) {
            return (await opened.stores(storesName(cacheName))).blobs.getBytes(blobId);
          },
          async removeBlob(key, cacheName) {
            const stores = await opened.stores(storesName(cacheName));
            const row = readCacheRows(stores).find((candidate) => candidate.key === key);
            if (!row) throw new Error(`no row for ${key}`);
            await stores.blobs.delete(row.blob_id);
            return row.blob_id;
          },
          async orphanBlob(cacheName) {
            return (await opened.stores(storesName(cacheName))).blobs.put("orphan");
          },
        },
        maintenance: {
          purgeExpired: () => opened.caches.purgeExpired(),
          sweep: (sweepOptions) => opened.caches.sweep(sweepOptions),
        },
      };
      return fixture;
    },
  };
}
