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

  /** The prepared statement for `sql`, returning rows of type `Row`. */
  get<Row>(sql: string): SqlStatement<Row> {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare<unknown>(sql);
      this.#statements.set(sql, statement);
    }
    return statement as SqlStatement<Row>;
  }
}
