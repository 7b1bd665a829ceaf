import type Database from "better-sqlite3";
import {
  DatabaseClosedError,
  TransactionRunner,
  toSqlError,
  type SqlDatabase,
  type SqlError,
  type SqlStatement,
  type SqlValue,
} from "@cellar/metadata-store";
import type { RowIterator } from "./row-iterator.js";
import { SqliteStatement, type StatementContext } from "./sqlite-statement.js";

/**
 * One better-sqlite3 connection behind the `SqlDatabase` interface. Created by
 * `createSqliteEngine().open(location)`, which has already applied the pragmas.
 */
export class SqliteDatabase implements SqlDatabase {
  /** The file path, or `":memory:"`. */
  readonly location: string;
  readonly #db: Database.Database;
  readonly #runner: TransactionRunner;
  /** Prepared BEGIN/COMMIT/SAVEPOINT statements, so a transaction costs no SQL parsing. */
  readonly #controls = new Map<string, Database.Statement>();
  readonly #context: StatementContext;

  /** @internal Use `createSqliteEngine().open(location)`. */
  constructor(db: Database.Database, location: string) {
    this.#db = db;
    this.location = location;
    this.#context = {
      location,
      fail: (error) => this.#mapError(error),
      iterators: new Set<RowIterator<unknown>>(),
    };
    this.#runner = new TransactionRunner({
      control: (sql) => this.#control(sql),
      get inTransaction() {
        return db.inTransaction;
      },
    });
  }

  /** False once closed. */
  get open(): boolean {
    return this.#db.open;
  }

  /** True while a transaction is open (ours, or one begun with `exec("BEGIN")`); false once closed. */
  get inTransaction(): boolean {
    return this.#db.open && this.#db.inTransaction;
  }

  /** Prepare one statement. */
  prepare<Row = Record<string, SqlValue>>(sql: string): SqlStatement<Row> {
    try {
      return new SqliteStatement<Row>(this.#db.prepare<unknown[], Row>(sql), this.#context);
    } catch (error) {
      throw this.#mapError(error);
    }
  }

  /** Run SQL text that may hold several statements. */
  exec(sql: string): void {
    try {
      this.#db.exec(sql);
    } catch (error) {
      throw this.#mapError(error);
    }
  }

  /** Run `fn` in a (nested) transaction; see `SqlDatabase`. */
  transaction<T>(fn: () => T): T {
    if (!this.#db.open) throw new DatabaseClosedError(this.location);
    return this.#runner.run(fn);
  }

  /**
   * Resolves at once: in WAL mode a committed transaction is already in the `-wal` file, which
   * survives the process being killed (`synchronous=NORMAL`) and power loss (`FULL`, strict).
   */
  flush(): Promise<void> {
    return this.#db.open ? Promise.resolve() : Promise.reject(new DatabaseClosedError(this.location));
  }

  /** Close the connection, ending running iterators and rolling back an open transaction. Idempotent. */
  close(): void {
    if (!this.#db.open) return;
    for (const iterator of [...this.#context.iterators]) iterator.end();
    this.#controls.clear();
    this.#db.close();
  }

  #control(sql: string): void {
    try {
      let statement = this.#controls.get(sql);
      if (statement === undefined) {
        statement = this.#db.prepare(sql);
        this.#controls.set(sql, statement);
      }
      statement.run();
    } catch (error) {
      throw this.#mapError(error);
    }
  }

  #mapError(error: unknown): SqlError {
    return this.#db.open ? toSqlError(error, this.location) : new DatabaseClosedError(this.location);
  }
}
