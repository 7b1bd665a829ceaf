import type { SqlDatabase, SqlStatement } from "@cellar/metadata-store";

/**
 * Prepared statements by SQL text, least recently used evicted first. A D1 statement is usually
 * run many times with different values, and preparing is most of the cost of a small query.
 * Statements the engine rejects are not cached: the next call reports the error again, as D1 does.
 */
export class StatementCache {
  readonly #database: SqlDatabase;
  readonly #statements = new Map<string, SqlStatement<unknown[]>>();
  readonly #capacity: number;
  /** Longer texts (bulk inserts with inline values) are prepared each time rather than kept. */
  readonly #maxLength: number;

  constructor(database: SqlDatabase, capacity = 128, maxLength = 16_384) {
    this.#database = database;
    this.#capacity = capacity;
    this.#maxLength = maxLength;
  }

  /** The prepared statement for `sql` (one statement), in raw mode. Throws the engine's `SqlError`. */
  prepare(sql: string): SqlStatement<unknown[]> {
    const statements = this.#statements;
    const cached = statements.get(sql);
    if (cached !== undefined) {
      // Refresh its place so the statements in use stay.
      statements.delete(sql);
      statements.set(sql, cached);
      return cached;
    }
    const statement = this.#database.prepare<unknown[]>(sql).raw(true);
    if (sql.length <= this.#maxLength) {
      if (statements.size >= this.#capacity) statements.delete(statements.keys().next().value as string);
      statements.set(sql, statement);
    }
    return statement;
  }
}
