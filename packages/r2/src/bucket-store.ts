import { KeyWriteOrder, type BlobStore, type SweepResult, type WriteTurn } from "@cellar/blob-store";
import type { SqlDatabase } from "@cellar/metadata-store";
import { BlobReclaimer } from "./blob-reclaimer.js";
import { writeDigestedBlob, type DigestedBlob } from "./digesting-write.js";
import { MultipartTables } from "./multipart-tables.js";
import { ObjectsTable } from "./objects-table.js";
import type { SizedBody } from "./put-body.js";
import type { R2Logger } from "./r2-bucket-options.js";
import type { R2ResolvedLimits } from "./r2-limits.js";
import { CELLAR_R2_SCHEMA, R2_SCHEMA } from "./r2-schema.js";
import { StatementCache } from "./statement-cache.js";

/** What {@link BucketStore} needs; see `R2BucketOptions` for each. */
export interface BucketStoreOptions {
  readonly metadata: SqlDatabase;
  readonly blobs: BlobStore;
  readonly clock: { now(): number };
  readonly name: string;
  readonly limits: R2ResolvedLimits;
  readonly logger: R2Logger;
}

/** What a write's transaction decided: its result, and the blobs it left unreferenced. */
export interface CommitOutcome<T> {
  readonly result: T;
  /** Blobs no row references after the commit: deleted once it is durable. */
  readonly obsolete: readonly string[];
  /** Why they became unreferenced, for the log if a delete fails. */
  readonly reason: string;
}

/**
 * The storage half of a bucket: the tables, the blob store, and the write protocol between them
 * (DESIGN.md, on-disk-layout §6). It trusts its arguments; the binding in front of it checks
 * them with the runtime's messages.
 *
 * Write protocol:
 * 1. The body is streamed into a new blob while its digests are computed; until its row
 *    commits, the orphan sweep spares it.
 * 2. One transaction reads what it needs, checks, and writes the rows. Writes to one object key
 *    commit in the order they were called (the last `put` called wins, as in production), however
 *    long their bodies take to store.
 * 3. If the transaction fails (or decides not to write, as a failed precondition does), the new
 *    blob is deleted.
 * 4. The write resolves after `flush()`, so it survives the process being killed.
 * 5. Only then are the blobs it unreferenced deleted (in the background, waiting for readers):
 *    deleting them earlier could leave a durable row pointing to a deleted blob after a crash.
 */
export class BucketStore {
  readonly db: SqlDatabase;
  readonly blobs: BlobStore;
  readonly name: string;
  readonly limits: R2ResolvedLimits;
  readonly objects: ObjectsTable;
  readonly multipart: MultipartTables;
  readonly reclaimer: BlobReclaimer;
  /** Orders the commits of writes to one object key by call order. */
  readonly order = new KeyWriteOrder();
  readonly #clock: { now(): number };
  /** Blobs written by this process whose rows are not committed yet. */
  readonly #uncommitted = new Set<string>();
  /** Writes in flight, for {@link idle}. */
  readonly #writes = new Set<Promise<unknown>>();

  /**
   * Sets the connection up (Miniflare's `PRAGMA case_sensitive_like = TRUE`, which is per
   * connection) and creates Miniflare's tables and cellar's side tables if missing.
   */
  constructor(options: BucketStoreOptions) {
    this.db = options.metadata;
    this.blobs = options.blobs;
    this.name = options.name;
    this.limits = options.limits;
    this.#clock = options.clock;
    this.db.exec("PRAGMA case_sensitive_like = TRUE");
    this.db.transaction(() => {
      this.db.exec(R2_SCHEMA);
      this.db.exec(CELLAR_R2_SCHEMA);
    });
    const statements = new StatementCache(this.db);
    this.objects = new ObjectsTable(statements);
    this.multipart = new MultipartTables(statements);
    this.reclaimer = new BlobReclaimer(options.blobs, options.logger, options.name);
  }

  /** The bucket clock's time, in epoch milliseconds. */
  now(): number {
    return this.#clock.now();
  }

  /** Runs a write, tracked so that {@link idle} can wait for it. */
  track<T>(write: Promise<T>): Promise<T> {
    const settled = write.then(
      () => undefined,
      () => undefined,
    );
    this.#writes.add(settled);
    void settled.then(() => this.#writes.delete(settled));
    return write;
  }

  /**
   * Streams `body` into a new blob named after `key`, computing the digests of `algorithms`
   * (Node `crypto` names). The blob is protected from the sweep until {@link commit}.
   */
  async storeBlob(key: string, body: SizedBody, algorithms: readonly string[]): Promise<DigestedBlob> {
    const stored = await writeDigestedBlob(this.blobs, body, { userId: key, algorithms });
    this.#uncommitted.add(stored.blobId);
    return stored;
  }

  /** Gives up a blob from {@link storeBlob} that will not be committed (a checksum mismatch). */
  discard(blobId: string, reason: string): void {
    this.#uncommitted.delete(blobId);
    this.reclaimer.reclaim([blobId], reason);
  }

  /**
   * Steps 2-5 of the write protocol: waits for the earlier writes to the same keys (`turns`,
   * taken when the write was called), runs `write` in one transaction, deletes `newBlobs` if it
   * throws, releases the turns, waits for durability, then deletes the blobs it made obsolete.
   */
  async commit<T>(newBlobs: readonly string[], write: () => CommitOutcome<T>, turns: readonly WriteTurn[] = []): Promise<T> {
    let outcome: CommitOutcome<T>;
    try {
      for (const turn of turns) if (turn.ready !== undefined) await turn.ready;
      outcome = this.db.transaction(write);
    } catch (error) {
      this.reclaimer.reclaim(newBlobs, "its write failed to commit");
      throw error;
    } finally {
      for (const id of newBlobs) this.#uncommitted.delete(id);
      for (const turn of turns) turn.release();
    }
    await this.db.flush();
    this.reclaimer.reclaim(outcome.obsolete, outcome.reason);
    const throttled = this.reclaimer.throttle();
    if (throttled !== undefined) await throttled;
    return outcome.result;
  }

  /**
   * The orphan sweep (on-disk-layout L5): deletes blob files that no object or part row
   * references and that were created more than `graceMs` ago, plus partial writes a crash left
   * behind. This process's writes in flight are waited for and its uncommitted blobs, blobs
   * being read and deletes waiting for readers are spared; other processes' writes are covered by
   * the grace period.
   */
  async sweep(graceMs: number): Promise<SweepResult> {
    await this.idle();
    // Side rows left behind by another writer are dropped too (cheap, and keeps listing fast).
    this.db.transaction(() => this.objects.pruneSideRows());
    await this.db.flush();
    const olderThan = this.now() - graceMs;
    // A row only ever points to a blob its own write created, and a write whose blob is older
    // than the grace period has committed (or failed) by now, so this snapshot is complete for
    // every candidate.
    const referenced = this.objects.referencedBlobIds();
    return this.blobs.sweep({
      olderThan,
      isReferenced: (id) => referenced.has(id) || this.#uncommitted.has(id) || this.reclaimer.isBusy(id),
    });
  }

  /** Settles once every write started so far has finished, and every blob delete it started. */
  async idle(): Promise<void> {
    while (this.#writes.size > 0) await Promise.all(this.#writes);
    await this.order.idle();
    await this.reclaimer.idle();
  }
}
