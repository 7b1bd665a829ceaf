import type { SqlDatabase, SqlStatement } from "@cellar/metadata-store";
import type { RowShape } from "./query-result.js";

/** A cached prepared statement, with its result column names once known. */
export interface CachedStatement {
  readonly statement: SqlStatement<unknown[]>;
  /**
   * Result column names, kept only for statements without a `*`: their names come from the
   * statement's text, while `SELECT *` follows the schema, which may change.
   */
  names: string[] | undefined;
  /** The row shape for `names`, kept with them. */
  shape: RowShape | undefined;
}

/**
 * Prepared statements by SQL text, the oldest evicted first. A D1 statement is usually
 * run many times with different values, and preparing is most of the cost of a small query.
 * Statements the engine rejects are not cached: the next call reports the error again, as D1 does.
 */
export class StatementCache {
  readonly #database: SqlDatabase;
  readonly #statements = new Map<string, CachedStatement>();
  readonly #capacity: number;
  /** Longer texts (bulk inserts with inline values) are prepared each time rather than kept. */
  readonly #maxLength: number;

  constructor(database: SqlDatabase, capacity = 128, maxLength = 16_384) {
    this.#database = database;
    this.#capacity = capacity;
    this.#maxLength = maxLength;
  }

  /** The prepared statement for `sql` (one statement), in raw mode. Throws the engine's `SqlError`. */
  prepare(sql: string): CachedStatement {
    const statements = this.#statements;
    const cached = statements.get(sql);
    if (cached !== undefined) return cached;
    const entry: CachedStatement = { statement: this.#database.prepare<unknown[]>(sql).raw(true), names: undefined, shape: undefined };
    if (sql.length <= this.#maxLength) {
      if (statements.size >= this.#capacity) statements.delete(statements.keys().next().value as string);
      statements.set(sql, entry);
    }
    return entry;
  }
}
