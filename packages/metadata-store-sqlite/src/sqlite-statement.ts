import type Database from "better-sqlite3";
import {
  normalizeParams,
  type SqlColumn,
  type SqlError,
  type SqlParams,
  type SqlRunResult,
  type SqlStatement,
} from "@cellar/metadata-store";
import { RowIterator } from "./row-iterator.js";

/** What statements share with their `SqliteDatabase`. Internal to this package. */
export interface StatementContext {
  /** The database's location, for messages. */
  readonly location: string;
  /** Turns whatever better-sqlite3 threw into the right `SqlError` (closed, busy, constraint, ...). */
  fail(error: unknown): SqlError;
  /** Iterators still running; `close()` ends them, because better-sqlite3 refuses to close while one runs. */
  readonly iterators: Set<RowIterator<unknown>>;
}

/**
 * A better-sqlite3 statement behind the `SqlStatement` interface.
 *
 * The hot path (`run`/`get`/`all`) is a parameter check that allocates nothing in the common
 * case, a direct call and a `try/catch`: rows come straight from better-sqlite3, uncopied. Error
 * mapping, including "the database is closed", happens only on the failure path.
 * BLOB values are `Buffer`s, which are `Uint8Array`s.
 */
export class SqliteStatement<Row> implements SqlStatement<Row> {
  readonly #statement: Database.Statement<unknown[], Row>;
  readonly #context: StatementContext;
  readonly #fail: (error: unknown) => SqlError;

  /** @internal Created by `SqliteDatabase.prepare`. */
  constructor(statement: Database.Statement<unknown[], Row>, context: StatementContext) {
    this.#statement = statement;
    this.#context = context;
    this.#fail = context.fail;
  }

  /** The SQL text the statement was prepared from. */
  get source(): string {
    return this.#statement.source;
  }

  /** True when the statement returns rows. */
  get reader(): boolean {
    return this.#statement.reader;
  }

  /** Execute, discarding any rows. */
  run(...params: SqlParams): SqlRunResult {
    try {
      return this.#statement.run(...normalizeParams(params));
    } catch (error) {
      throw this.#fail(error);
    }
  }

  /** The first row, or `undefined`. */
  get(...params: SqlParams): Row | undefined {
    try {
      return this.#statement.get(...normalizeParams(params));
    } catch (error) {
      throw this.#fail(error);
    }
  }

  /** Every row. */
  all(...params: SqlParams): Row[] {
    try {
      return this.#statement.all(...normalizeParams(params));
    } catch (error) {
      throw this.#fail(error);
    }
  }

  /** Rows one at a time; errors raised while stepping are mapped too. */
  iterate(...params: SqlParams): IterableIterator<Row> {
    let rows: IterableIterator<Row>;
    try {
      rows = this.#statement.iterate(...normalizeParams(params));
    } catch (error) {
      throw this.#fail(error);
    }
    const iterator = new RowIterator(rows, this.#context);
    this.#context.iterators.add(iterator);
    return iterator;
  }

  /** Result column names, in order; empty for statements that return no rows. */
  columns(): SqlColumn[] {
    if (!this.#statement.reader) return [];
    try {
      // Only the name: the other fields better-sqlite3 reports have no sql.js equivalent.
      return this.#statement.columns().map((column) => ({ name: column.name }));
    } catch (error) {
      throw this.#fail(error);
    }
  }

  /** Rows as arrays; ignored for statements that return no rows (better-sqlite3 would throw). */
  raw(enabled = true): this {
    if (this.#statement.reader) this.#statement.raw(enabled);
    return this;
  }

  /** INTEGER values (and `lastInsertRowid`) as `bigint`. */
  safeIntegers(enabled = true): this {
    this.#statement.safeIntegers(enabled);
    return this;
  }
}
