import type { SqlDatabase, SqlStatement } from "@cellar/metadata-store";

/** The connection's counters after a query, from which its `meta` is computed. */
export interface MetaSample {
  /** `total_changes()`: rows changed on this connection so far, triggers included. */
  readonly totalChanges: number;
  /** `last_insert_rowid()`. */
  readonly lastRowId: number;
  /** Pages in use times the page size, as workerd computes `databaseSize`. */
  readonly size: number;
}

/** Counters before a write. */
export interface WriteStart {
  readonly totalChanges: number;
  readonly lastRowId: number;
}

/**
 * Tracks the connection's counters for `meta`, with as few calls into SQLite as the answers
 * need. workerd's `databaseSize` leaves out free pages, so a database does not look bigger
 * after deletes.
 *
 * - A read changes no counter, so it reports the sample taken after this database's last write
 *   (taken afresh when there is none). The cost: after another process writes, a read's
 *   `size_after` lags until this database's next write.
 * - A write samples after itself and compares with the previous request's sample (this database
 *   is the connection's only user while it runs requests; a rolled-back request or an import
 *   invalidates the sample, and the next request takes a fresh one first).
 */
export class DatabaseMeta {
  readonly #database: SqlDatabase;
  #totals: SqlStatement<[number, number]> | undefined;
  #pageCount: SqlStatement<[number]> | undefined;
  #freePages: SqlStatement<[number]> | undefined;
  #pageSize = 0;
  #last: MetaSample | undefined;

  constructor(database: SqlDatabase) {
    this.#database = database;
  }

  /** For a read: the last sample (a read changes nothing), taken afresh when there is none. */
  forRead(): MetaSample {
    return (this.#last ??= this.#sample());
  }

  /**
   * Before a write: the counters as the previous request left them (this database is the
   * connection's only user while it runs requests, and a rolled-back request invalidates them).
   */
  beforeWrite(): WriteStart {
    return (this.#last ??= this.#sample());
  }

  /** After a write: the counters, and whether the write changed the database (`changed_db`). */
  afterWrite(start: WriteStart): { sample: MetaSample; changed: boolean } {
    const previous = this.#last;
    const sample = this.#sample();
    this.#last = sample;
    const changed =
      sample.totalChanges !== start.totalChanges || sample.lastRowId !== start.lastRowId || (previous !== undefined && previous.size !== sample.size);
    return { sample, changed };
  }

  /** Forget the remembered sample (after the connection was used by something else, e.g. an import). */
  invalidate(): void {
    this.#last = undefined;
  }

  #sample(): MetaSample {
    const [totalChanges, lastRowId] = this.#readTotals();
    return { totalChanges, lastRowId, size: this.#readSize() };
  }

  #readTotals(): [number, number] {
    this.#totals ??= this.#database.prepare<[number, number]>("SELECT total_changes(), last_insert_rowid()").raw(true);
    const row = this.#totals.get();
    return [Number(row?.[0] ?? 0), Number(row?.[1] ?? 0)];
  }

  #readSize(): number {
    this.#pageCount ??= this.#database.prepare<[number]>("PRAGMA page_count").raw(true);
    this.#freePages ??= this.#database.prepare<[number]>("PRAGMA freelist_count").raw(true);
    if (this.#pageSize === 0) this.#pageSize = Number(this.#database.prepare<[number]>("PRAGMA page_size").raw(true).get()?.[0] ?? 4096);
    const pages = Number(this.#pageCount.get()?.[0] ?? 0) - Number(this.#freePages.get()?.[0] ?? 0);
    return pages * this.#pageSize;
  }
}
