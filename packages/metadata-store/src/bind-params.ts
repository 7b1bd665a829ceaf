import type { SqlBindValue } from "./sql-database.js";

/** Named parameter values, keyed without the `:`/`@`/`$` prefix. */
export type NamedParams = Readonly<Record<string, SqlBindValue>>;

/**
 * True for `{ ... }` literals (and `Object.create(null)`), the only objects that mean "named
 * parameters". A `Uint8Array`, `Date` or class instance is a value, not a parameter map.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The named-parameter object when `params` is exactly one plain object, else `undefined`. */
export function namedParams(params: readonly unknown[]): NamedParams | undefined {
  return params.length === 1 && isPlainObject(params[0]) ? (params[0] as NamedParams) : undefined;
}

/**
 * Parameters as every SQLite driver accepts them: booleans become 1/0 (better-sqlite3 rejects
 * them, sql.js binds them inconsistently), inside a named-parameter object too.
 *
 * Returns `params` itself when nothing needs converting, which is almost always: the check is a
 * type test per value, so the statement hot path allocates nothing.
 */
export function normalizeParams<T extends readonly unknown[]>(params: T): T {
  for (let i = 0; i < params.length; i++) {
    const value = params[i];
    if (typeof value === "boolean" || (isPlainObject(value) && hasBoolean(value))) {
      return params.map(normalizeValue) as unknown as T;
    }
  }
  return params;
}

function hasBoolean(record: Record<string, unknown>): boolean {
  for (const key in record) if (typeof record[key] === "boolean") return true;
  return false;
}

function normalizeValue(value: unknown): unknown {
  if (typeof value === "boolean") return value ? 1 : 0;
  if (isPlainObject(value)) {
    const copy: Record<string, unknown> = {};
    for (const key in value) copy[key] = normalizeValue(value[key]);
    return copy;
  }
  return value;
}
