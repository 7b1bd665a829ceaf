import { SqlError, namedParams } from "@cellar/metadata-store";
import type { SqlJsStatement } from "./sql-js-module.js";
import type { SqlShape } from "./sql-scan.js";

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
 * Binds parameters to one sql.js statement with better-sqlite3's rules (see `SqlParams`):
 * prefix-less named keys, `?NNN` as name `"NNN"`, and `ERR_SQL_RANGE` for too few or too many
 * values or a missing name, where sql.js would silently bind NULL or ignore extras. Everything
 * is translated to sql.js's by-index array form, so no name lookups happen in wasm.
 */
export class ParameterBinder {
  readonly #statement: SqlJsStatement;
  readonly #shape: SqlShape;
  readonly #exact: boolean;
  readonly #hasNames: boolean;

  /**
   * @param shape what the scanner found in the statement's SQL
   * @param exact whether SQLite confirmed the scanner's parameter count; if not, binding falls
   *   back to sql.js's lenient rules rather than rejecting calls that may be valid
   */
  constructor(statement: SqlJsStatement, shape: SqlShape, exact: boolean) {
    this.#statement = statement;
    this.#shape = shape;
    this.#exact = exact;
    this.#hasNames = shape.names.some((name) => name !== undefined);
  }

  /** Reset the statement and bind `params`. */
  bind(params: readonly unknown[]): void {
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
