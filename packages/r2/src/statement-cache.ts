import type { SqlDatabase, SqlStatement } from "@cellar/metadata-store";

/**
 * Prepares each SQL text once, on first use: the hot paths then cost a step or two of an
 * already compiled statement.
 */
export class StatementCache {
  readonly #db: SqlDatabase;
  readonly #statements = new Map<string, SqlStatement<unknown>>();

  constructor(db: SqlDatabase) {
    this.#db = db;
  }

  /** The prepared statement for `sql`, returning rows as objects of type `Row`. */
  get<Row>(sql: string): SqlStatement<Row> {
    return this.#prepare(sql, false) as SqlStatement<Row>;
  }

  /** The prepared statement for `sql`, returning rows as arrays: no object per row on hot paths. */
  raw<Row extends unknown[]>(sql: string): SqlStatement<Row> {
    return this.#prepare(sql, true) as unknown as SqlStatement<Row>;
  }

  #prepare(sql: string, raw: boolean): SqlStatement<unknown> {
    const cacheKey = raw ? `raw:${sql}` : sql;
    let statement = this.#statements.get(cacheKey);
    if (statement === undefined) {
      statement = this.#db.prepare<unknown>(sql);
      if (raw) statement.raw();
      this.#statements.set(cacheKey, statement);
    }
    return statement;
  }
}
