import type { BlobStore } from "@cellar/blob-store";
import { createMemoryBlobStore } from "@cellar/blob-store-memory";
import { createCacheStorage, type CacheStorageOptions, type CellarCacheStorage } from "@cellar/cache";
import type { SqlDatabase } from "@cellar/metadata-store";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";
import { vi } from "vitest";

/** A database that delegates to `db`, with hooks to interfere with transactions and flushes. */
export interface WrappedDatabase extends SqlDatabase {
  /** When set, the next `transaction` throws this instead of running. */
  failNextTransaction: Error | undefined;
  /** When set, `flush` waits for this promise before resolving. */
  holdFlush: Promise<void> | undefined;
  /** How many `flush` calls have resolved. */
  flushes: number;
}

export function wrapDatabase(db: SqlDatabase): WrappedDatabase {
  const wrapped: WrappedDatabase = {
    failNextTransaction: undefined,
    holdFlush: undefined,
    flushes: 0,
    get location() {
      return db.location;
    },
    get open() {
      return db.open;
    },
    get inTransaction() {
      return db.inTransaction;
    },
    prepare: (sql) => db.prepare(sql),
    exec: (sql) => db.exec(sql),
    transaction(fn) {
      const failure = wrapped.failNextTransaction;
      if (failure) {
        wrapped.failNextTransaction = undefined;
        throw failure;
      }
      return db.transaction(fn);
    },
    async flush() {
      if (wrapped.holdFlush) await wrapped.holdFlush;
      await db.flush();
      wrapped.flushes++;
    },
    close: () => db.close(),
  };
  return wrapped;
}

/** A blob store that delegates to `store`, recording deletes, with a switch to make them fail. */
export interface WrappedBlobStore extends BlobStore {
  /** Ids passed to `delete`, in order. */
  readonly deleted: string[];
  /** While set, `delete` rejects with this. */
  failDeletes: Error | undefined;
}

export function wrapBlobStore(store: BlobStore): WrappedBlobStore {
  const wrapped: WrappedBlobStore = {
    deleted: [],
    failDeletes: undefined,
    capabilities: store.capabilities,
    put: (body, options) => store.put(body, options),
    get: (id, range) => store.get(id, range),
    getBytes: (id, range) => store.getBytes(id, range),
    getRanges: (id, ranges, options) => store.getRanges(id, ranges, options),
    stat: (id) => store.stat(id),
    async delete(id) {
      wrapped.deleted.push(id);
      if (wrapped.failDeletes) throw wrapped.failDeletes;
      return store.delete(id);
    },
    sweep: (options) => store.sweep(options),
    close: () => store.close(),
  };
  return wrapped;
}

/** A clock the test moves by hand, starting at 2026-01-01T00:00:00Z. */
export function testClock(): { now(): number; advance(ms: number): void; set(ms: number): void } {
  let time = Date.UTC(2026, 0, 1);
  return { now: () => time, advance: (ms) => void (time += ms), set: (ms) => void (time = ms) };
}

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
