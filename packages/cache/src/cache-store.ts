import { BlobReaper, KeyWriteOrder, type Clock, type SweepResult, type WriteTurn } from "@cellar/blob-store";
import type { CacheBackend, PendingEntry } from "./cache-backend.js";
import { parseMetadata, serialiseMetadata, type CacheMetadata } from "./cache-metadata.js";
import type { CacheLogger, CacheStores, CacheSweepOptions } from "./cache-storage-options.js";
import type { HeaderLookup } from "./conditional-request.js";
import { hitHeaders, hitResponse } from "./hit-response.js";
import { LazyStores, type OpenedStores } from "./lazy-stores.js";
import { planMatch } from "./match-plan.js";
import type { ResponseBody } from "./response-body.js";
import { writeBody } from "./write-body.js";

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

/** A concurrent writer can replace an entry between our reads of its row and of its blob; retry this often. */
const MAX_READ_ATTEMPTS = 100;
/** Default `sweep` grace period: far longer than any write takes. */
const DEFAULT_SWEEP_GRACE_MS = 60 * 60 * 1000;
/** Rows each transaction of `purgeExpired()` and `purgeAll()` deletes, so the write lock is never held for long (L6). */
const PURGE_ALL_BATCH = 500;
/**
 * A `put` purges expired entries at most this often (by the cache's clock), unless the last
 * purge filled its batch: a purge query on every small `put` would cost more than the entries
 * it finds, while a backlog still drains at one batch per `put`.
 */
const PURGE_INTERVAL_MS = 1000;

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
  readonly #stores: LazyStores;
  readonly #order = new KeyWriteOrder();
  readonly #reaper: BlobReaper;
  /** Blobs written by this process whose rows are not committed yet; `sweep` must spare them. */
  readonly #uncommitted = new Set<string>();
  /** When the next `put` may purge expired entries (C3). */
  #nextPurgeAt = Number.NEGATIVE_INFINITY;

  constructor(options: CacheStoreOptions) {
    this.#options = options;
    this.#stores = new LazyStores(options.open);
    this.#reaper = new BlobReaper({ owner: `Cache "${options.name}"`, logger: options.logger });
  }

  async match(key: string, request: HeaderLookup): Promise<Response | undefined> {
    const { table, blobs } = await this.#stores.get();
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
      const headers = metadata && hitHeaders(metadata, now);
      if (metadata === undefined || headers === undefined) {
        this.#options.logger.warn(`Cache "${this.#options.name}": the entry for ${key} has damaged metadata and was removed`);
        await this.#removeEntry(key, blobId, "its metadata was damaged");
        return undefined;
      }
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
    let opened: OpenedStores;
    try {
      opened = await this.#stores.get();
      if (turn.ready !== undefined) await turn.ready;
      removed = opened.table.delete(key);
    } finally {
      turn.release();
    }
    if (removed === undefined) return false;
    const [blobId, expiration] = removed;
    await opened.db.flush();
    this.#reaper.delete(opened.blobs, [blobId], "it was deleted");
    return expiration === null || expiration > this.#options.clock.now();
  }

  async purgeExpired(): Promise<number> {
    const opened = await this.#stores.get();
    const now = this.#options.clock.now();
    return this.#purgeInBatches(opened, () => opened.table.deleteExpired(now, PURGE_ALL_BATCH), "it expired");
  }

  async purgeAll(): Promise<number> {
    const opened = await this.#stores.get();
    return this.#purgeInBatches(opened, () => opened.table.deleteSome(PURGE_ALL_BATCH), "its cache was purged");
  }

  async sweep(options: CacheSweepOptions = {}): Promise<SweepResult> {
    const graceMs = options.graceMs ?? DEFAULT_SWEEP_GRACE_MS;
    if (typeof graceMs !== "number" || !(graceMs >= 0)) {
      throw new TypeError(`graceMs must be a non-negative number of milliseconds, got ${String(graceMs)}`);
    }
    const { table, blobs } = await this.#stores.get();
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
    await this.#reaper.idle();
  }

  async close(): Promise<void> {
    await this.idle();
    await this.#stores.close();
  }

  async #store(turn: WriteTurn, key: string, body: ResponseBody, entry: PendingEntry): Promise<void> {
    let opened: OpenedStores;
    let stale: string[];
    try {
      opened = await this.#stores.get();
      const { blobs } = opened;
      const written = await writeBody({
        blobs,
        key,
        body,
        declaredLength: entry.declaredLength,
        maxObjectSize: this.#options.maxObjectSize,
        discard: (blobId) => this.#reaper.delete(blobs, [blobId], "its body broke the size rules"),
      });
      if (written === undefined) return;
      const { blobId, size } = written;
      this.#uncommitted.add(blobId);
      try {
        if (turn.ready !== undefined) await turn.ready;
        stale = this.#commit(opened, key, blobId, { headers: entry.headers, status: entry.status, size }, entry.expiration);
      } catch (error) {
        this.#reaper.delete(opened.blobs, [blobId], "its put failed to commit");
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
    this.#reaper.delete(opened.blobs, stale, "it was replaced or expired");
  }

  /**
   * Upserts the entry and, at most once a second (or again while a backlog remains), purges a
   * bounded batch of expired ones (C3), in one transaction; returns the blobs no row references
   * any more.
   */
  #commit({ db, table }: OpenedStores, key: string, blobId: string, metadata: CacheMetadata, expiration: number): string[] {
    const { purgeBatchSize, clock } = this.#options;
    const now = clock.now();
    const purging = purgeBatchSize > 0 && now >= this.#nextPurgeAt;
    const { replaced, purged } = db.transaction(() => {
      const replaced = table.blobIdOf(key);
      table.upsert(key, blobId, expiration, serialiseMetadata(metadata));
      return { replaced, purged: purging ? table.deleteExpired(now, purgeBatchSize) : [] };
    });
    if (purging) this.#nextPurgeAt = purged.length < purgeBatchSize ? now + PURGE_INTERVAL_MS : now;
    return replaced === undefined ? purged : [replaced, ...purged];
  }

  async #evict(turn: WriteTurn, key: string, body: ResponseBody): Promise<void> {
    let opened: OpenedStores;
    let removed: string | undefined;
    try {
      await body.drain();
      opened = await this.#stores.get();
      if (turn.ready !== undefined) await turn.ready;
      removed = opened.table.delete(key)?.[0];
    } catch (error) {
      body.cancel(error);
      throw error;
    } finally {
      turn.release();
    }
    if (removed === undefined) return;
    await opened.db.flush();
    this.#reaper.delete(opened.blobs, [removed], "a stale response replaced it");
  }

  /** Deletes the entry under `key` if it still points to `blobId`, then its blob. Best effort: a match never fails for it. */
  async #removeEntry(key: string, blobId: string, reason: string): Promise<void> {
    try {
      const { table, db, blobs } = await this.#stores.get();
      if (!table.deleteIfBlob(key, blobId)) return;
      await db.flush();
      this.#reaper.delete(blobs, [blobId], reason);
    } catch (error) {
      this.#options.logger.warn(`Cache "${this.#options.name}": could not remove the entry for ${key} after ${reason}`, error);
    }
  }

  /** Runs `deleteBatch` until it deletes less than a full batch, flushing and deleting blobs after each. */
  async #purgeInBatches({ db, blobs }: OpenedStores, deleteBatch: () => string[], reason: string): Promise<number> {
    let total = 0;
    for (;;) {
      const blobIds = db.transaction(deleteBatch);
      total += blobIds.length;
      if (blobIds.length > 0) {
        await db.flush();
        this.#reaper.delete(blobs, blobIds, reason);
      }
      if (blobIds.length < PURGE_ALL_BATCH) return total;
    }
  }
}
