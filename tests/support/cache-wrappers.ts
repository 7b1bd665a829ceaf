import { createMemoryBlobStore } from "@cellar/blob-store-memory";
import { createCacheStorage, type CacheStorageOptions, type CellarCacheStorage } from "@cellar/cache";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";
import { vi } from "vitest";
import { testClock, wrapBlobStore, wrapDatabase } from "./instrumented-stores.ts";

/**
 * `caches.default` on one wrapped in-memory better-sqlite3 database and wrapped memory blobs,
 * with a spying logger; `options` go to `createCacheStorage`.
 */
export function setUpCache(options: Partial<CacheStorageOptions> = {}) {
  const clock = testClock();
  const db = wrapDatabase(createSqliteEngine().open(":memory:"));
  const memory = createMemoryBlobStore({ clock });
  const blobs = wrapBlobStore(memory);
  const logger = { warn: vi.fn() };
  const caches: CellarCacheStorage = createCacheStorage({ clock, logger, open: () => ({ metadata: db, blobs }), ...options });
  const blobCount = async () => {
    await caches.idle();
    let count = 0;
    await memory.sweep({ olderThan: Number.POSITIVE_INFINITY, isReferenced: () => (count++, true) });
    return count;
  };
  const rowCount = () => (db.prepare("SELECT count(*) AS n FROM _mf_entries").get() as { n: number }).n;
  return { clock, db, blobs, logger, caches, cache: caches.default, blobCount, rowCount };
}

/** A response cached for `maxAge` seconds. */
export function fresh(body: BodyInit | null, maxAge = 3600, headers: Record<string, string> = {}): Response {
  return new Response(body, { headers: { "Cache-Control": `max-age=${maxAge}`, ...headers } });
}
