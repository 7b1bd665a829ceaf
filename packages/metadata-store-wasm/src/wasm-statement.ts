import { SqlError, type SqlColumn, type SqlParams, type SqlRunResult, type SqlStatement } from "@cellar/metadata-store";
import type { SqlJsStatement, SqlJsValue } from "./sql-js-module.js";
import type { SqlShape } from "./sql-scan.js";
import type { WasmConnection } from "./wasm-connection.js";
import { ParameterBinder } from "./wasm-parameters.js";

const BIGINT = { useBigInt: true } as const;

/**
 * A sql.js statement behind the `SqlStatement` interface, normalised to behave like the
 * better-sqlite3 engine: prefix-less named parameters, strict parameter counts, BLOBs as
 * `Uint8Array`, `safeIntegers` as `bigint`, `changes` 0 for statements that changed nothing.
 */
export class WasmStatement<Row> implements SqlStatement<Row> {
  /** The SQL text the statement was prepared from. */
  readonly source: string;
  /** True when the statement returns rows. */
  readonly reader: boolean;
  readonly #connection: WasmConnection;
  readonly #statement: SqlJsStatement;
  readonly #binder: ParameterBinder;
  /** Statements that can change the database bump the connection's version, which drives group commit. */
  readonly #mayWrite: boolean;
  #raw = false;
  #safeIntegers = false;
  #iterating = false;

  /**
   * @internal Use `prepareWasmStatement`.
   * @param exact whether SQLite confirmed the scanner's parameter count for `shape`
   */
  constructor(connection: WasmConnection, statement: SqlJsStatement, source: string, shape: SqlShape, exact: boolean) {
    this.#connection = connection;
    this.#statement = statement;
    this.#binder = new ParameterBinder(statement, shape, exact);
    this.source = source;
    this.reader = statement.getColumnNames().length > 0;
    this.#mayWrite = !this.reader || shape.returning || shape.firstWord === "PRAGMA";
  }

  /** Execute, discarding any rows. */
  run(...params: SqlParams): SqlRunResult {
    this.#enter(false);
    const connection = this.#connection;
    const statement = this.#statement;
    let before: number;
    try {
      before = connection.totalChanges();
      this.#binder.bind(params);
      if (this.#mayWrite) connection.changed();
      statement.step();
    } catch (error) {
      throw connection.fail(error);
    } finally {
      statement.reset();
      connection.settled();
    }
    return connection.runResult(before, this.#safeIntegers);
  }

  /** The first row, or `undefined`. */
  get(...params: SqlParams): Row | undefined {
    this.#enter(true);
    const statement = this.#statement;
    try {
      this.#binder.bind(params);
      if (this.#mayWrite) this.#connection.changed();
      if (!statement.step()) return undefined;
      return this.#row(this.#raw ? undefined : statement.getColumnNames());
    } catch (error) {
      throw this.#connection.fail(error);
    } finally {
      statement.reset();
      this.#connection.settled();
    }
  }

  /** Every row. */
  all(...params: SqlParams): Row[] {
    this.#enter(true);
    const statement = this.#statement;
    try {
      this.#binder.bind(params);
      if (this.#mayWrite) this.#connection.changed();
      const rows: Row[] = [];
      let names: string[] | undefined;
      while (statement.step()) {
        // Names are read once per call, not cached: a schema change can change `SELECT *`.
        if (!this.#raw) names ??= statement.getColumnNames();
        rows.push(this.#row(names));
      }
      return rows;
    } catch (error) {
      throw this.#connection.fail(error);
    } finally {
      statement.reset();
      this.#connection.settled();
    }
  }

  /** Rows one at a time; the statement is busy until the iterator finishes or is returned. */
  iterate(...params: SqlParams): IterableIterator<Row> {
    this.#enter(true);
    const connection = this.#connection;
    const statement = this.#statement;
    try {
      this.#binder.bind(params);
    } catch (error) {
      statement.reset();
      throw connection.fail(error);
    }
    if (this.#mayWrite) connection.changed();
    this.#iterating = true;
    let finished = false;
    let names: string[] | undefined;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      this.#iterating = false;
      // After close() sql.js has already freed the statement; touching it then would fault.
      if (connection.open) {
        statement.reset();
        connection.settled();
      }
    };
    const iterator: IterableIterator<Row> = {
      next: (): IteratorResult<Row> => {
        if (finished) return { done: true, value: undefined };
        if (!connection.open) {
          finish();
          connection.assertOpen();
        }
        try {
          if (!statement.step()) {
            finish();
            return { done: true, value: undefined };
          }
          if (!this.#raw) names ??= statement.getColumnNames();
          return { done: false, value: this.#row(names) };
        } catch (error) {
          const mapped = connection.fail(error);
          finish();
          throw mapped;
        }
      },
      return: (): IteratorResult<Row> => {
        finish();
        return { done: true, value: undefined };
      },
      [Symbol.iterator]() {
        return iterator;
      },
    };
    return iterator;
  }

  /** Result column names, in order; empty for statements that return no rows. */
  columns(): SqlColumn[] {
    this.#connection.assertOpen();
    if (!this.reader) return [];
    return this.#statement.getColumnNames().map((name) => ({ name }));
  }

  /** Rows as arrays; no effect on statements that return no rows. */
  raw(enabled = true): this {
    if (this.reader) this.#raw = enabled;
    return this;
  }

  /** INTEGER values (and `lastInsertRowid`) as `bigint`. */
  safeIntegers(enabled = true): this {
    this.#safeIntegers = enabled;
    return this;
  }

  #enter(needsRows: boolean): void {
    this.#connection.assertOpen();
    if (needsRows && !this.reader) {
      throw new SqlError("ERR_SQL_MISUSE", "This statement does not return data. Use run() instead");
    }
    if (this.#iterating) {
      throw new SqlError("ERR_SQL_MISUSE", "This statement is busy executing a query");
    }
  }

  #row(names: string[] | undefined): Row {
    const values: SqlJsValue[] = this.#statement.get(null, this.#safeIntegers ? BIGINT : undefined);
    if (names === undefined) return values as Row;
    const row: Record<string, SqlJsValue> = {};
    for (let i = 0; i < names.length; i++) row[names[i] as string] = values[i] as SqlJsValue;
    return row as Row;
  }
}
