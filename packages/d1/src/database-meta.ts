import type { SqlDatabase, SqlStatement } from "@cellar/metadata-store";

/** What `meta` is computed from, sampled before and after a query. */
export interface MetaSample {
  /** `total_changes()`: rows changed on this connection so far, triggers included. */
  readonly totalChanges: number;
  /** `last_insert_rowid()`. */
  readonly lastRowId: number;
  /** Pages in use times the page size, as workerd computes `databaseSize`. */
  readonly size: number;
}

/**
 * Samples the connection's counters with one prepared statement. workerd's `databaseSize`
 * leaves out free pages, so a database does not look bigger after deletes.
 */
export class DatabaseMeta {
  readonly #database: SqlDatabase;
  #statement: SqlStatement<[number, number, number]> | undefined;

  constructor(database: SqlDatabase) {
    this.#database = database;
  }

  /** The counters now. */
  sample(): MetaSample {
    this.#statement ??= this.#database
      .prepare<[number, number, number]>(
        "SELECT total_changes(), last_insert_rowid(), ((SELECT page_count FROM pragma_page_count()) - (SELECT freelist_count FROM pragma_freelist_count())) * (SELECT page_size FROM pragma_page_size())",
      )
      .raw(true);
    const row = this.#statement.get();
    return { totalChanges: Number(row?.[0] ?? 0), lastRowId: Number(row?.[1] ?? 0), size: Number(row?.[2] ?? 0) };
  }
}
