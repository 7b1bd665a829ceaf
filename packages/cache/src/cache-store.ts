import type { BlobStore, Clock, SweepResult } from "@cellar/blob-store";
import type { SqlDatabase } from "@cellar/metadata-store";
import type { CacheBackend, PendingEntry } from "./cache-backend.js";
import { CacheClosedError } from "./cache-errors.js";
import { parseMetadata, serialiseMetadata, type CacheMetadata } from "./cache-metadata.js";
import type { CacheLogger, CacheStores, CacheSweepOptions } from "./cache-storage-options.js";
import type { HeaderLookup } from "./conditional-request.js";
import { EntriesTable } from "./entries-table.js";
import { SMALL_BODY_BYTES, hitResponse } from "./hit-response.js";
import { KeyWriteOrder, type WriteTurn } from "./key-write-order.js";
import { currentAge, planMatch } from "./match-plan.js";
import type { ResponseBody } from "./response-body.js";

/** What {@link createCacheStore} needs; see `CacheStorageOptions` for each. */
export interface CacheStoreOptions {
  /** `default` or `named:<cacheName>`, for messages. */
  readonly name: string;
  /** Opens the cache's stores; called on first use, and again after a failure. */
  readonly open: () => CacheStores | Promise<CacheStores>;
  readonly clock: Clock;
  readonly logger: CacheLogger;
  readonly maxObjectSize: number;
  readonly purgeBatchSize: number;
}

interface OpenedStores {
  readonly stores: CacheStores;
  readonly table: EntriesTable;
  readonly db: SqlDatabase;
  readonly blobs: BlobStore;
}

/** A concurrent writer can replace an entry between our reads of its row and of its blob; retry this often. */
const MAX_READ_ATTEMPTS = 100;
/** Default `sweep` grace period: far longer than any write takes. */
const DEFAULT_SWEEP_GRACE_MS = 60 * 60 * 1000;
/** Rows each transaction of `purgeExpired()` and `purgeAll()` deletes, so the write lock is never held for long (L6). */
const PURGE_ALL_BATCH = 500;

/**
 * Creates the storage half of one cache: entries in `_mf_entries`, bodies in the blob store, and
 * the write protocol between them (on-disk-layout §6):
 * 1. the body is streamed into a new blob (one per entry, empty bodies included), counting its
 *    bytes; over `maxObjectSize` (C4) or disagreeing with `Content-Length` (C5), nothing is kept;
 * 2. one transaction reads the old blob id, upserts the row and purges a bounded batch of
 *    expired entries (C3); commits to one key happen in call order; if the commit fails, the
 *    new blob is deleted;
 * 3. the write resolves after `flush()`, so it survives the process being killed;
 * 4. only then are the replaced and purged blobs deleted, in the background ({@link
 *    CacheBackend.idle} waits for them). A failed delete is logged; `sweep` collects it (C7).
 */
export function createCacheStore(options: CacheStoreOptions): CacheBackend {
  return new CacheStore(options);
}

class CacheStore implements CacheBackend {
  readonly #options: CacheStoreOptions;
  readonly #order = new KeyWriteOrder();
  /** Blobs written by this process whose rows are not committed yet; `sweep` must spare them. */
  readonly #uncommitted = new Set<string>();
  /** Blob deletes running in the background. */
  readonly #deleting = new Set<Promise<void>>();
  #opening: Promise<OpenedStores> | undefined;
  /** The stores once opened, for the background deletes. */
  #opened: OpenedStores | undefined;
  #closed = false;

  constructor(options: CacheStoreOptions) {
    this.#options = options;
  }

  async match(key: string, request: HeaderLookup): Promise<Response | undefined> {
    const { table, blobs } = await this.#open();
    for (let attempt = 1; ; attempt++) {
      const row = table.get(key);
      if (row === undefined) return undefined;
      const [blobId, expiration, metadataText] = row;
      const now = this.#options.clock.now();
      if (expiration !== null && expiration <= now) {
        await this.#removeEntry(key, blobId, "it expired");
        return undefined;
      }
      const metadata = parseMetadata(metadataText);
      const headers = metadata && storedHeaders(metadata);
      if (metadata === undefined || headers === undefined) {
        this.#options.logger.warn(`Cache "${this.#options.name}": the entry for ${key} has damaged metadata and was removed`);
        await this.#removeEntry(key, blobId, "its metadata was damaged");
        return undefined;
      }
      headers.set("CF-Cache-Status", "HIT");
      const age = currentAge(headers, now);
      if (age !== undefined) headers.set("Age", age);
      let response: Response | null;
      try {
        response = await hitResponse(blobs, blobId, metadata, headers, planMatch(request, headers, metadata.size));
      } catch (error) {
        // A foreign row (Miniflare trusts `Content-Length`) can claim more bytes than its blob has.
        if ((error as { code?: unknown } | null)?.code !== "ERR_RANGE_NOT_SATISFIABLE") throw error;
        this.#options.logger.warn(`Cache "${this.#options.name}": the entry for ${key} is shorter than its size and was removed`, error);
        await this.#removeEntry(key, blobId, "its size was wrong");
        return undefined;
      }
      if (response !== null) return response;
      // The blob is gone. Either a write replaced or deleted the entry after we read its row
      // (and deleted the old blob after its commit): read the row again. Or the row still
      // points to it and the store lost it: a cache may drop any entry, so it is a miss.
      if (table.blobIdOf(key) === blobId || attempt >= MAX_READ_ATTEMPTS) {
        this.#options.logger.warn(`Cache "${this.#options.name}": the body of ${key} (blob ${blobId}) is missing; the entry was removed`);
        await this.#removeEntry(key, blobId, "its blob was missing");
        return undefined;
      }
    }
  }

  store(key: string, body: ResponseBody, entry: PendingEntry): Promise<void> {
    return this.#store(this.#order.enter(key), key, body, entry);
  }

  evict(key: string, body: ResponseBody): Promise<void> {
    return this.#evict(this.#order.enter(key), key, body);
  }

  async discard(body: ResponseBody): Promise<void> {
    await body.drain();
  }

  async delete(key: string): Promise<boolean> {
    const turn = this.#order.enter(key);
    let removed: [blobId: string, expiration: number | null] | undefined;
    let db: SqlDatabase;
    try {
      const opened = await this.#open();
      db = opened.db;
      if (turn.ready !== undefined) await turn.ready;
      removed = opened.table.delete(key);
    } finally {
      turn.release();
    }
    if (removed === undefined) return false;
    const [blobId, expiration] = removed;
    await db.flush();
    this.#deleteBlobs([blobId], "it was deleted");
    return expiration === null || expiration > this.#options.clock.now();
  }

  async purgeExpired(): Promise<number> {
    const { table, db } = await this.#open();
    const now = this.#options.clock.now();
    return this.#purgeInBatches(db, () => table.deleteExpired(now, PURGE_ALL_BATCH), "it expired");
  }

  async purgeAll(): Promise<number> {
    const { table, db } = await this.#open();
    return this.#purgeInBatches(db, () => table.deleteSome(PURGE_ALL_BATCH), "its cache was purged");
  }

  async sweep(options: CacheSweepOptions = {}): Promise<SweepResult> {
    const graceMs = options.graceMs ?? DEFAULT_SWEEP_GRACE_MS;
    if (typeof graceMs !== "number" || !(graceMs >= 0)) {
      throw new TypeError(`graceMs must be a non-negative number of milliseconds, got ${String(graceMs)}`);
    }
    const { table, blobs } = await this.#open();
    await this.idle();
    const olderThan = this.#options.clock.now() - graceMs;
    // A row only ever points to the blob its own write created, and a write whose blob is older
    // than the grace period has committed (or failed) by now, so this snapshot is complete for
    // every candidate. Blobs of writes that start meanwhile are younger than the cutoff.
    const referenced = table.referencedBlobIds();
    const uncommitted = this.#uncommitted;
    return blobs.sweep({ olderThan, isReferenced: (id) => referenced.has(id) || uncommitted.has(id) });
  }

  async idle(): Promise<void> {
    await this.#order.idle();
    while (this.#deleting.size > 0) await Promise.all(this.#deleting);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.idle();
    await this.#opening?.catch(() => undefined);
    await this.#opened?.stores.close?.();
  }

  async #store(turn: WriteTurn, key: string, body: ResponseBody, entry: PendingEntry): Promise<void> {
    let opened: OpenedStores;
    let stale: string[];
    try {
      opened = await this.#open();
      const written = await this.#writeBody(opened.blobs, key, body, entry.declaredLength);
      if (written === undefined) return;
      const { blobId, size } = written;
      this.#uncommitted.add(blobId);
      try {
        if (turn.ready !== undefined) await turn.ready;
        stale = this.#commit(opened, key, blobId, { headers: entry.headers, status: entry.status, size }, entry.expiration);
      } catch (error) {
        this.#deleteBlobs([blobId], "its put failed to commit");
        throw error;
      } finally {
        this.#uncommitted.delete(blobId);
      }
    } catch (error) {
      body.cancel(error);
      throw error;
    } finally {
      turn.release();
    }
    await opened.db.flush();
    this.#deleteBlobs(stale, "it was replaced or expired");
  }

  /**
   * Upserts the entry and purges a bounded batch of expired ones (C3), in one transaction;
   * returns the blobs no row references any more.
   */
  #commit({ db, table }: OpenedStores, key: string, blobId: string, metadata: CacheMetadata, expiration: number): string[] {
    const { purgeBatchSize, clock } = this.#options;
    return db.transaction(() => {
      const replaced = table.blobIdOf(key);
      table.upsert(key, blobId, expiration, serialiseMetadata(metadata));
      const purged = purgeBatchSize > 0 ? table.deleteExpired(clock.now(), purgeBatchSize) : [];
      return replaced === undefined ? purged : [replaced, ...purged];
    });
  }

  async #evict(turn: WriteTurn, key: string, body: ResponseBody): Promise<void> {
    let db: SqlDatabase;
    let removed: string | undefined;
    try {
      await body.drain();
      const opened = await this.#open();
      db = opened.db;
      if (turn.ready !== undefined) await turn.ready;
      removed = opened.table.delete(key)?.[0];
    } catch (error) {
      body.cancel(error);
      throw error;
    } finally {
      turn.release();
    }
    if (removed === undefined) return;
    await db.flush();
    this.#deleteBlobs([removed], "a stale response replaced it");
  }

  /**
   * Streams a body into a new blob named after its key; resolves with its id and length, or
   * `undefined` when it must not be stored: longer than `maxObjectSize` (C4), or disagreeing with
   * its `Content-Length` (C5). Either way the body is read to its end. Small bodies are buffered
   * whole (the blob store's fast path); larger ones stream, so memory stays flat.
   */
  async #writeBody(
    blobs: BlobStore,
    key: string,
    body: ResponseBody,
    declaredLength: number | null | undefined,
  ): Promise<{ blobId: string; size: number } | undefined> {
    const { maxObjectSize } = this.#options;
    const userId = isWellFormed(key) ? key : undefined;
    if (declaredLength === null || (declaredLength !== undefined && declaredLength > maxObjectSize)) {
      await body.drain();
      return undefined;
    }
    const small = await body.readUpTo(SMALL_BODY_BYTES);
    if (small !== undefined) {
      const size = small.byteLength;
      if (size > maxObjectSize || (declaredLength !== undefined && size !== declaredLength)) return undefined;
      return { blobId: await blobs.put(small, { userId }), size };
    }
    let blobId: string;
    try {
      blobId = await blobs.put(body.stream(), { userId, maxSize: maxObjectSize });
    } catch (error) {
      if ((error as { code?: unknown } | null)?.code !== "ERR_BLOB_TOO_LARGE") throw error;
      await body.drain();
      return undefined;
    }
    const size = body.bytesRead;
    // A store that ignores `maxSize` must not get an over-limit body past us.
    if (size > maxObjectSize || (declaredLength !== undefined && size !== declaredLength)) {
      this.#deleteBlobs([blobId], "its body broke the size rules");
      return undefined;
    }
    return { blobId, size };
  }

  /** Deletes the entry under `key` if it still points to `blobId`, then its blob. Best effort: a match never fails for it. */
  async #removeEntry(key: string, blobId: string, reason: string): Promise<void> {
    try {
      const { table, db } = await this.#open();
      if (!table.deleteIfBlob(key, blobId)) return;
      await db.flush();
      this.#deleteBlobs([blobId], reason);
    } catch (error) {
      this.#options.logger.warn(`Cache "${this.#options.name}": could not remove the entry for ${key} after ${reason}`, error);
    }
  }

  /** Runs `deleteBatch` until it deletes less than a full batch, flushing and deleting blobs after each. */
  async #purgeInBatches(db: SqlDatabase, deleteBatch: () => string[], reason: string): Promise<number> {
    let total = 0;
    for (;;) {
      const blobIds = db.transaction(deleteBatch);
      total += blobIds.length;
      if (blobIds.length > 0) {
        await db.flush();
        this.#deleteBlobs(blobIds, reason);
      }
      if (blobIds.length < PURGE_ALL_BATCH) return total;
    }
  }

  /** Opens the stores once; a failure is not remembered, so the next call tries again. */
  #open(): Promise<OpenedStores> {
    if (this.#closed) return Promise.reject(new CacheClosedError());
    if (this.#opening === undefined) {
      const opening = (async () => {
        const stores = await this.#options.open();
        this.#opened = { stores, table: new EntriesTable(stores.metadata), db: stores.metadata, blobs: stores.blobs };
        return this.#opened;
      })();
      this.#opening = opening;
      opening.catch(() => {
        if (this.#opening === opening) this.#opening = undefined;
      });
    }
    return this.#opening;
  }

  /**
   * Deletes blobs no row references any more, in the background ({@link idle} waits for them).
   * Failures are logged, never thrown; `sweep` removes what is left (C7).
   */
  #deleteBlobs(blobIds: readonly string[], reason: string): void {
    const blobs = this.#opened?.blobs;
    if (blobs === undefined) return;
    for (const blobId of blobIds) {
      const deleting: Promise<void> = blobs.delete(blobId).then(
        () => void this.#deleting.delete(deleting),
        (error: unknown) => {
          this.#deleting.delete(deleting);
          this.#options.logger.warn(
            `Cache "${this.#options.name}": could not delete blob ${blobId} after ${reason}; the orphan sweep will remove it`,
            error,
          );
        },
      );
      this.#deleting.add(deleting);
    }
  }
}

/** Stored headers as a `Headers`; `undefined` when a stored value is not a valid header (a damaged row). */
function storedHeaders(metadata: CacheMetadata): Headers | undefined {
  try {
    return new Headers(metadata.headers as [string, string][]);
  } catch {
    return undefined;
  }
}

/** Keys with lone surrogates (possible with `cf.cacheKey`) cannot name a blob file; their blobs get no user id. */
function isWellFormed(key: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(key);
}
