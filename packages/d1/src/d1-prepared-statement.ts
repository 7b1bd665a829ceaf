import type { D1Query } from "./request-executor.js";
import type { RequestOutcome } from "./d1-core.js";
import { exportResult, firstRowObject, toD1Result } from "./d1-results.js";
import type { D1PreparedStatement, D1Result } from "./d1-types.js";
import { toBoundValue, type D1BoundValue } from "./d1-values.js";

/** How statements reach the database: through a session, which keeps bookmarks. */
export interface SessionLink {
  /** Run one request and map its outcome with `then`; rejects with the error the D1 API throws (`D1_ERROR: …`). */
  run<T>(queries: readonly D1Query[], then: (outcome: RequestOutcome) => T): Promise<T>;
}

/**
 * `db.prepare(sql)`: SQL text and bound values. Each method is one request; `bind` returns a
 * new statement, so a prepared statement can be reused with different values.
 */
export class CellarD1PreparedStatement implements D1PreparedStatement {
  readonly #session: SessionLink;
  /** The SQL text, as given to `prepare` (`batch` reads it, as the binding does). */
  readonly statement: string;
  /** The bound values, as the binding converted them. */
  readonly params: readonly D1BoundValue[];

  /** @internal Use `db.prepare(sql)`. */
  constructor(session: SessionLink, statement: string, params: readonly D1BoundValue[] = []) {
    this.#session = session;
    this.statement = statement;
    this.params = params;
  }

  /** A statement with `values` bound by position; throws `D1_TYPE_ERROR` for a value D1 cannot bind. */
  bind(...values: unknown[]): D1PreparedStatement {
    // `values` is a fresh array (a rest parameter), so it is converted in place rather than copied.
    for (let i = 0; i < values.length; i++) values[i] = toBoundValue(values[i]);
    return new CellarD1PreparedStatement(this.#session, this.statement, values as D1BoundValue[]);
  }

  /** The value of `colName` in the first row, or `null` without rows; `D1_COLUMN_NOTFOUND` if the column is missing. */
  first<T = unknown>(colName: string): Promise<T | null>;
  /** The first row, or `null`. */
  first<T = Record<string, unknown>>(): Promise<T | null>;
  first<T>(colName?: string): Promise<T | null> {
    if (colName === undefined) return this.#one(firstRow, false) as Promise<T | null>;
    return this.#one(firstValue(colName), false) as Promise<T | null>;
  }

  /** Run the statement; the result holds its rows too, as local D1's does. */
  run<T = Record<string, unknown>>(): Promise<D1Result<T>> {
    return this.#one(queryResult, true) as Promise<D1Result<T>>;
  }

  /** Run the statement and return its rows as objects. */
  all<T = Record<string, unknown>>(): Promise<D1Result<T>> {
    return this.#one(queryResult, true) as Promise<D1Result<T>>;
  }

  /** Rows as arrays, the column names first (even without rows). */
  raw<T = unknown[]>(options: { columnNames: true }): Promise<[string[], ...T[]]>;
  /** Rows as arrays (duplicate column names kept). */
  raw<T = unknown[]>(options?: { columnNames?: false }): Promise<T[]>;
  raw<T>(options?: { columnNames?: boolean }): Promise<unknown[]> {
    return this.#one((outcome): unknown[] => {
      if (outcome.kind === "export") {
        // An array of objects (here one array of statements): the binding lists each row's values.
        const raw: unknown[] = [];
        for (const row of [outcome.statements]) {
          if (options?.columnNames === true && raw.length === 0) raw.push(Object.keys(row));
          raw.push(Object.keys(row).map((key) => row[Number(key)]));
        }
        return raw;
      }
      const result = outcome.results[0]!;
      return [...(options?.columnNames === true ? [result.columns] : []), ...(result.rows as T[])];
    }, false);
  }

  /** Run the statement as one request; `timed` is false for the methods that never show `meta` (see `D1Query.timed`). */
  #one<R>(then: (outcome: RequestOutcome) => R, timed: boolean): Promise<R> {
    return this.#session.run([{ sql: this.statement, params: this.params, timed }], then);
  }
}

/** What `first(colName)` resolves with: the column's value in the first row, or `null` without rows. */
function firstValue(colName: string): (outcome: RequestOutcome) => unknown {
  return (outcome) => {
    const row = firstRow(outcome);
    if (row === null) return null;
    if (row[colName] === undefined) {
      throw new Error(`D1_COLUMN_NOTFOUND: Column not found (${colName})`, { cause: new Error("Column not found") });
    }
    return row[colName];
  };
}

/** The result `run()` and `all()` resolve with. */
function queryResult(outcome: RequestOutcome): D1Result {
  return outcome.kind === "export" ? exportResult(outcome) : toD1Result(outcome.results[0]!);
}

/**
 * The first row as `first()` returns it, or `null`. This and the functions above are module
 * functions so that `first()`, `all()` and `run()` allocate no closure per call.
 */
function firstRow(outcome: RequestOutcome): Record<string, unknown> | null {
  if (outcome.kind === "export") return outcome.statements as unknown as Record<string, unknown>;
  return firstRowObject(outcome.results[0]!) ?? null;
}
