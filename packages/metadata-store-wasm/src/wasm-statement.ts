import {
  SqlError,
  namedParams,
  type SqlColumn,
  type SqlParams,
  type SqlRunResult,
  type SqlStatement,
} from "@cellar/metadata-store";
import type { SqlJsStatement, SqlJsValue } from "./sql-js-module.js";
import { isBlankSql, scanSql, type SqlShape } from "./sql-scan.js";
import type { WasmConnection } from "./wasm-connection.js";

const BIGINT = { useBigInt: true } as const;

/**
 * Frees the sql.js statement of a wrapper that was garbage-collected: sql.js statements live in
 * wasm memory, which JavaScript's GC does not see. `close()` frees whatever is left.
 */
const finalizer = new FinalizationRegistry<{ statement: SqlJsStatement; connection: WasmConnection }>(
  ({ statement, connection }) => {
    if (connection.open) statement.free();
  },
);

/**
 * Prepare one statement on `connection`, checking what sql.js does not: that `sql` holds a single
 * statement (sql.js silently ignores the rest), and how many parameters it has and what they
 * are called (sql.js binds missing values as NULL instead of failing).
 */
export function prepareWasmStatement<Row>(connection: WasmConnection, sql: string): WasmStatement<Row> {
  let statement: SqlJsStatement;
  try {
    statement = connection.handle.prepare(sql);
  } catch (error) {
    throw connection.fail(error);
  }
  try {
    const first = statement.getSQL();
    if (sql.startsWith(first) && !isBlankSql(sql.slice(first.length))) {
      throw new SqlError("ERR_SQL_MISUSE", "The supplied SQL string contains more than one statement");
    }
    const shape = scanSql(first);
    const wrapper = new WasmStatement<Row>(connection, statement, sql, shape, countIsExact(statement, shape.parameterCount));
    finalizer.register(wrapper, { statement, connection });
    return wrapper;
  } catch (error) {
    statement.free();
    throw connection.fail(error);
  }
}

/**
 * Check the scanner's parameter count against SQLite: binding `count` values must work and
 * binding one more must fail with "column index out of range". If the scanner ever misjudges
 * some SQL, the statement falls back to sql.js's own lenient binding rather than rejecting
 * valid calls.
 */
function countIsExact(statement: SqlJsStatement, count: number): boolean {
  try {
    statement.bind(new Array<number>(count).fill(0));
  } catch {
    statement.reset();
    return false;
  }
  try {
    statement.bind(new Array<number>(count + 1).fill(0));
    return false;
  } catch {
    return true;
  } finally {
    statement.reset();
  }
}

function rangeError(message: string): SqlError {
  return new SqlError("ERR_SQL_RANGE", message);
}

/**
 * A value as sql.js should bind it. Booleans become 1/0; a `bigint` within 2^53 becomes a number
 * (sql.js binds a `bigint` as TEXT; SQLite converts that back to INTEGER in INTEGER columns, which
 * is what keeps larger ones exact); `undefined` binds NULL, as in better-sqlite3.
 */
function bindable(value: unknown): unknown {
  switch (typeof value) {
    case "number":
    case "string":
      return value;
    case "boolean":
      return value ? 1 : 0;
    case "bigint":
      return value >= Number.MIN_SAFE_INTEGER && value <= Number.MAX_SAFE_INTEGER ? Number(value) : value;
    case "undefined":
      return null;
    case "object":
      if (value === null || value instanceof Uint8Array) return value;
  }
  throw new SqlError("ERR_SQL_MISUSE", "SQLite3 can only bind numbers, strings, bigints, buffers, and null");
}

function needsConversion(value: unknown): boolean {
  const type = typeof value;
  return !(type === "number" || type === "string" || value === null || value instanceof Uint8Array);
}

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
  readonly #shape: SqlShape;
  readonly #exact: boolean;
  readonly #hasNames: boolean;
  /** Statements that can change the database bump the connection's version, which drives group commit. */
  readonly #mayWrite: boolean;
  #raw = false;
  #safeIntegers = false;
  #iterating = false;

  /** @internal Use `prepareWasmStatement`. */
  constructor(connection: WasmConnection, statement: SqlJsStatement, source: string, shape: SqlShape, exact: boolean) {
    this.#connection = connection;
    this.#statement = statement;
    this.#shape = shape;
    this.#exact = exact;
    this.source = source;
    this.reader = statement.getColumnNames().length > 0;
    this.#hasNames = shape.names.some((name) => name !== undefined);
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
      this.#bind(params);
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
      this.#bind(params);
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
      this.#bind(params);
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
      this.#bind(params);
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

  /** Bind `params` with better-sqlite3's rules (see `SqlParams`), translated to sql.js's by-index array. */
  #bind(params: readonly unknown[]): void {
    const statement = this.#statement;
    if (!this.#exact) return this.#bindLeniently(params);
    const count = this.#shape.parameterCount;
    const named = namedParams(params);
    if (named === undefined && !this.#hasNames) {
      if (params.length !== count) {
        throw rangeError(params.length < count ? "Too few parameter values were provided" : "Too many parameter values were provided");
      }
      statement.bind(params.some(needsConversion) ? params.map(bindable) : params);
      return;
    }
    const positional = named === undefined ? params : [];
    const values = new Array<unknown>(count);
    let next = 0;
    for (let index = 1; index <= count; index++) {
      const name = this.#shape.names[index];
      if (name === undefined) {
        if (next >= positional.length) throw rangeError("Too few parameter values were provided");
        values[index - 1] = bindable(positional[next++]);
        continue;
      }
      const key = name.slice(1);
      if (named === undefined || !Object.hasOwn(named, key)) throw rangeError(`Missing named parameter "${key}"`);
      values[index - 1] = bindable(named[key]);
    }
    if (next < positional.length) throw rangeError("Too many parameter values were provided");
    statement.bind(values);
  }

  /** Fallback when the scanner's count was not confirmed: let sql.js bind, offering every prefix for names. */
  #bindLeniently(params: readonly unknown[]): void {
    const named = namedParams(params);
    if (named === undefined) {
      this.#statement.bind(params.map(bindable));
      return;
    }
    const prefixed: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(named)) {
      const bound = bindable(value);
      for (const prefix of [":", "@", "$", "?"]) prefixed[prefix + key] = bound;
    }
    this.#statement.bind(prefixed);
  }
}
