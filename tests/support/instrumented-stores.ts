import type { BlobStore } from "@cellar/blob-store";
import type { SqlDatabase } from "@cellar/metadata-store";

/**
 * Instrumented stores for gateway tests: each delegates to a real store, records what the gateway
 * asked of it, and has switches to make it fail or stall at chosen points.
 */

/** A database that delegates to `db`, recording every prepared SQL text, with hooks to interfere. */
export interface WrappedDatabase extends SqlDatabase {
  /** SQL texts passed to `prepare`, in order. */
  readonly prepared: string[];
  /** When set, the next `transaction` throws this instead of running. */
  failNextTransaction: Error | undefined;
  /** When set, `flush` waits for this promise before resolving. */
  holdFlush: Promise<void> | undefined;
  /** How many `flush` calls have resolved. */
  flushes: number;
}

export function wrapDatabase(db: SqlDatabase): WrappedDatabase {
  const wrapped: WrappedDatabase = {
    prepared: [],
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
    prepare(sql) {
      wrapped.prepared.push(sql);
      return db.prepare(sql);
    },
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

/** A blob store that delegates to `store`, counting calls, with a switch to make deletes fail. */
export interface WrappedBlobStore extends BlobStore {
  readonly calls: { put: number; get: number; getBytes: number; delete: number };
  /** Ids passed to `delete`, in order. */
  readonly deleted: string[];
  /** While set, `delete` rejects with this. */
  failDeletes: Error | undefined;
}

export function wrapBlobStore(store: BlobStore): WrappedBlobStore {
  const wrapped: WrappedBlobStore = {
    calls: { put: 0, get: 0, getBytes: 0, delete: 0 },
    deleted: [],
    failDeletes: undefined,
    capabilities: store.capabilities,
    put(body, options) {
      wrapped.calls.put++;
      return store.put(body, options);
    },
    get(id, range) {
      wrapped.calls.get++;
      return store.get(id, range);
    },
    getBytes(id, range) {
      wrapped.calls.getBytes++;
      return store.getBytes(id, range);
    },
    getRanges: (id, ranges, options) => store.getRanges(id, ranges, options),
    stat: (id) => store.stat(id),
    async delete(id) {
      wrapped.calls.delete++;
      wrapped.deleted.push(id);
      if (wrapped.failDeletes) throw wrapped.failDeletes;
      return store.delete(id);
    },
    sweep: (options) => store.sweep(options),
    close: () => store.close(),
  };
  return wrapped;
}

/** A clock the test moves by hand, by default from 2026-01-01T00:00:00Z. */
export function testClock(start = Date.UTC(2026, 0, 1)): { now(): number; advance(ms: number): void; set(ms: number): void } {
  let time = start;
  return { now: () => time, advance: (ms) => void (time += ms), set: (ms) => void (time = ms) };
}
