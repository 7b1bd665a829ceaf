import { BlobReaper, KeyWriteOrder, type BlobStore, type SweepResult, type WriteTurn } from "@cellar/blob-store";
import type { SqlDatabase } from "@cellar/metadata-store";
import { EntriesTable, type ListedRow } from "@cellar/entries-table";
import { KVIntegrityError } from "./kv-errors.js";
import type { KVLogger, KVSweepOptions } from "./kv-namespace-options.js";
import type { PutValue } from "./put-value.js";
import { ValueCache } from "./value-cache.js";
import { writeValue } from "./value-writer.js";

/** A live entry's value, read into memory or opened as a stream, with what is stored beside it. */
export interface StoredValue {
  /** The value, when read into memory. Shared with the value cache when `shared`: copy before handing it out. */
  readonly bytes: Uint8Array | undefined;
  /** The value, when opened as a stream. */
  readonly stream: ReadableStream<Uint8Array> | undefined;
  readonly shared: boolean;
  /** Epoch milliseconds, or `null`. */
  readonly expiration: number | null;
  /** JSON text, or `null`. */
  readonly metadata: string | null;
}

/** What {@link KVStore} needs; see `KVNamespaceOptions` for each. */
export interface KVStoreOptions {
  readonly metadata: SqlDatabase;
  readonly blobs: BlobStore;
  readonly clock: { now(): number };
  readonly name: string;
  readonly logger: KVLogger;
  readonly maxValueSize: number;
  readonly purgeBatchSize: number;
  readonly valueCacheSize: number;
}

/** A concurrent writer can replace an entry between our reads of its row and of its blob; retry this often. */
const MAX_READ_ATTEMPTS = 100;
/** Default `sweep` grace period: far longer than any write takes. */
const DEFAULT_SWEEP_GRACE_MS = 60 * 60 * 1000;
/** Rows `purgeExpired()` deletes per transaction, so it never holds the write lock for long (L6). */
const PURGE_ALL_BATCH = 500;

/**
 * The storage half of a KV namespace: entries in `_mf_entries`, values in the blob store, and the
 * write protocol between them (DESIGN.md, on-disk-layout §6). It trusts its arguments; the
 * namespace in front of it validates them with the runtime's messages.
 *
 * Write protocol:
 * 1. The value is streamed into a new blob (one per value, empty values included).
 * 2. One transaction reads the old blob id and upserts the row; commits to one key happen in
 *    call order (K3). If the commit fails, the new blob is deleted.
 * 3. The write resolves after `flush()`, so it survives the process being killed.
 * 4. Only then is the old blob deleted: deleting it before the commit is durable could leave a
 *    durable row pointing to a deleted blob after a crash. The delete runs in the background,
 *    as in Miniflare, so it costs a write no time; {@link idle} waits for it. A failed delete is
 *    logged, never thrown (K6); `sweep` collects what is left.
 */
export class KVStore {
  readonly #table: EntriesTable;
  readonly #db: SqlDatabase;
  readonly #blobs: BlobStore;
  readonly #clock: { now(): number };
  readonly #options: KVStoreOptions;
  readonly #order = new KeyWriteOrder();
  readonly #cache: ValueCache;
  /** Blobs written by this process whose rows are not committed yet; `sweep` must spare them. */
  readonly #uncommitted = new Set<string>();
  readonly #reaper: BlobReaper;

  constructor(options: KVStoreOptions) {
    this.#options = options;
    this.#db = options.metadata;
    this.#blobs = options.blobs;
    this.#clock = options.clock;
    this.#table = new EntriesTable(options.metadata);
    this.#cache = new ValueCache(options.valueCacheSize);
    this.#reaper = new BlobReaper({ owner: `KV namespace "${options.name}"`, logger: options.logger });
  }

  /**
   * The live value under `key`, or `null`. An expired entry is deleted (row, then blob) and
   * reads as `null`. A row whose blob is missing throws `KVIntegrityError` and is kept (K5).
   *
   * @param mode `"bytes"` reads the value into memory, `"stream"` opens it as a stream
   */
  async read(key: string, mode: "bytes" | "stream"): Promise<StoredValue | null> {
    for (let attempt = 1; ; attempt++) {
      const row = this.#table.get(key);
      if (row === undefined) return null;
      const [blobId, expiration, metadata] = row;
      if (expiration !== null && expiration <= this.#clock.now()) {
        await this.#removeExpired(key, blobId);
        return null;
      }
      const cached = this.#cache.get(blobId);
      if (cached !== undefined) {
        return { bytes: cached, stream: undefined, shared: true, expiration, metadata };
      }
      if (mode === "bytes") {
        const bytes = await this.#blobs.getBytes(blobId);
        if (bytes !== null) {
          const shared = this.#cache.set(blobId, bytes);
          return { bytes, stream: undefined, shared, expiration, metadata };
        }
      } else {
        const stream = await this.#blobs.get(blobId);
        if (stream !== null) return { bytes: undefined, stream, shared: false, expiration, metadata };
      }
      // The blob is gone. Either a write replaced or deleted the entry after we read its row
      // (and deleted the old blob after its commit), so the row has changed: read it again.
      // Or the row still points to the blob, and the store has lost it.
      if (this.#table.blobIdOf(key) === blobId || attempt >= MAX_READ_ATTEMPTS) {
        throw new KVIntegrityError(this.#options.name, key, blobId);
      }
    }
  }

  /** Stores a value. Takes the key's turn (K3) synchronously, so call it when the `put` is called. */
  write(key: string, value: PutValue, expiration: number | null, metadata: string | null): Promise<void> {
    const turn = this.#order.enter(key);
    return this.#write(turn, key, value, expiration, metadata);
  }

  /** Deletes a key, if present. Takes the key's turn synchronously, like {@link write}. */
  delete(key: string): Promise<void> {
    const turn = this.#order.enter(key);
    return this.#delete(turn, key);
  }

  /**
   * Live entries in UTF-8 byte order: those after `after` (or from it, when `inclusive`) and
   * below `before` (when given), at most `limit`. Then purges a bounded batch of expired
   * entries (K7), best effort: a list never fails because of the purge.
   */
  async list(after: string, inclusive: boolean, before: string | undefined, limit: number): Promise<ListedRow[]> {
    const now = this.#clock.now();
    const rows = this.#table.list(after, inclusive, before, now, limit);
    if (this.#options.purgeBatchSize > 0) {
      try {
        await this.#purge(now, this.#options.purgeBatchSize);
      } catch (error) {
        this.#options.logger.warn(`KV namespace "${this.#options.name}": could not purge expired entries`, error);
      }
    }
    return rows;
  }

  /** Deletes every expired entry and its blob, in short transactions; resolves with how many. */
  async purgeExpired(): Promise<number> {
    const now = this.#clock.now();
    let total = 0;
    for (;;) {
      const purged = await this.#purge(now, PURGE_ALL_BATCH);
      total += purged;
      if (purged < PURGE_ALL_BATCH) break;
    }
    await this.idle();
    return total;
  }

  /**
   * The orphan sweep (K6, on-disk-layout L5): deletes blob files that no entry references and
   * that were created more than `graceMs` ago, plus partial writes a crash left behind. Writes
   * in flight in this process are waited for first, and their blobs spared; writes in other
   * processes are covered by the grace period. A blob any row references, expired or not, is
   * never deleted.
   */
  async sweep(options: KVSweepOptions = {}): Promise<SweepResult> {
    const graceMs = options.graceMs ?? DEFAULT_SWEEP_GRACE_MS;
    if (typeof graceMs !== "number" || !(graceMs >= 0)) {
      throw new TypeError(`graceMs must be a non-negative number of milliseconds, got ${String(graceMs)}`);
    }
    await this.idle();
    const olderThan = this.#clock.now() - graceMs;
    // A row only ever points to the blob its own write created, and a write whose blob is older
    // than the grace period has committed (or failed) by now, so this snapshot is complete for
    // every candidate. Blobs of writes that start meanwhile are younger than the cutoff.
    const referenced = this.#table.referencedBlobIds();
    const uncommitted = this.#uncommitted;
    return this.#blobs.sweep({ olderThan, isReferenced: (id) => referenced.has(id) || uncommitted.has(id) });
  }

  /** The namespace clock's time, in epoch milliseconds. */
  now(): number {
    return this.#clock.now();
  }

  /**
   * Settles once every write and delete called so far has committed or failed, and every blob
   * delete they started has finished.
   */
  async idle(): Promise<void> {
    await this.#order.idle();
    await this.#reaper.idle();
  }

  async #write(
    turn: WriteTurn,
    key: string,
    value: PutValue,
    expiration: number | null,
    metadata: string | null,
  ): Promise<void> {
    let blobId: string;
    let oldBlobId: string | undefined;
    try {
      blobId = await writeValue(this.#blobs, key, value, this.#options.maxValueSize, (id) =>
        this.#deleteBlobs([id], "its value was too large"),
      );
      this.#uncommitted.add(blobId);
      if (turn.ready !== undefined) await turn.ready;
      try {
        oldBlobId = this.#db.transaction(() => {
          const old = this.#table.blobIdOf(key);
          this.#table.upsert(key, blobId, expiration, metadata);
          return old;
        });
      } catch (error) {
        this.#deleteBlobs([blobId], "its put failed to commit");
        throw error;
      } finally {
        this.#uncommitted.delete(blobId);
      }
    } finally {
      turn.release();
    }
    await this.#db.flush();
    if (oldBlobId !== undefined) this.#deleteBlobs([oldBlobId], "it was overwritten");
    const throttled = this.#reaper.throttle();
    if (throttled !== undefined) await throttled;
  }

  async #delete(turn: WriteTurn, key: string): Promise<void> {
    let oldBlobId: string | undefined;
    try {
      if (turn.ready !== undefined) await turn.ready;
      oldBlobId = this.#table.delete(key)?.[0];
    } finally {
      turn.release();
    }
    if (oldBlobId === undefined) return;
    await this.#db.flush();
    this.#deleteBlobs([oldBlobId], "its key was deleted");
    const throttled = this.#reaper.throttle();
    if (throttled !== undefined) await throttled;
  }

  /** Deletes an expired entry if it still points to `blobId`, then its blob. Best effort. */
  async #removeExpired(key: string, blobId: string): Promise<void> {
    try {
      if (!this.#table.deleteIfBlob(key, blobId)) return;
      await this.#db.flush();
      this.#deleteBlobs([blobId], "it expired");
    } catch (error) {
      this.#options.logger.warn(`KV namespace "${this.#options.name}": could not remove expired key ${JSON.stringify(key)}`, error);
    }
  }

  /** Deletes up to `limit` expired entries, then their blobs; resolves with how many. */
  async #purge(now: number, limit: number): Promise<number> {
    const blobIds = this.#table.deleteExpired(now, limit);
    if (blobIds.length === 0) return 0;
    await this.#db.flush();
    this.#deleteBlobs(blobIds, "it expired");
    return blobIds.length;
  }

  /** Forgets blobs no row references any more and deletes them in the background (K6). */
  #deleteBlobs(blobIds: readonly string[], reason: string): void {
    for (const blobId of blobIds) {
      this.#cache.delete(blobId);
      this.#reaper.delete(this.#blobs, blobId, reason);
    }
  }
}
