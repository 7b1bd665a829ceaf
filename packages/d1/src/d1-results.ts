import type { D1Result } from "./d1-types.js";
import type { D1ResultValue } from "./d1-values.js";
import type { RequestOutcome } from "./d1-core.js";
import { queryMeta, type QueryResult, type RowShape } from "./query-result.js";

/**
 * Rows as objects, as the binding's `toArrayOfObjects` builds them: with duplicate column names
 * the last value wins (`Object.fromEntries`).
 */
export function rowObjects(result: QueryResult): Record<string, D1ResultValue>[] {
  const { columns, shape } = result;
  const plain = shape !== undefined || isPlain(columns);
  return result.rows.map((row) => rowObject(columns, row, shape, plain));
}

/**
 * The first row as `rowObjects` builds it, or undefined without rows: `first()` shows no other
 * row, so only this one is built.
 */
export function firstRowObject(result: QueryResult): Record<string, D1ResultValue> | undefined {
  const row = result.rows[0];
  if (row === undefined) return undefined;
  const { columns, shape } = result;
  return rowObject(columns, row, shape, shape !== undefined || isPlain(columns));
}

/** False when a column is named `__proto__`, which must become an own property, as Object.fromEntries makes it. */
function isPlain(columns: readonly string[]): boolean {
  return !columns.includes("__proto__");
}

/** One row as an object: a copy of `shape` when there is one (see `RowShape`), else built key by key. */
function rowObject(columns: readonly string[], row: readonly D1ResultValue[], shape: RowShape | undefined, plain: boolean): Record<string, D1ResultValue> {
  const object: Record<string, D1ResultValue> = shape === undefined ? {} : { ...shape };
  for (let i = 0; i < columns.length; i++) {
    if (plain) object[columns[i]!] = row[i]!;
    else Object.defineProperty(object, columns[i]!, { value: row[i], writable: true, enumerable: true, configurable: true });
  }
  return object;
}

/** One query's `D1Result`: `{ success: true, meta, results }`. */
export function toD1Result<T>(result: QueryResult): D1Result<T> {
  return { success: true, meta: queryMeta(result), results: rowObjects(result) as T[] };
}

/**
 * The export PRAGMA's reply as the binding shapes it: `results` is `[[...statements]]` and `meta`
 * is empty, exactly as Miniflare answers `wrangler d1 export --local`.
 */
export function exportResult<T>(outcome: Extract<RequestOutcome, { kind: "export" }>): D1Result<T> {
  return { success: true, meta: {} as D1Result<T>["meta"], results: [outcome.statements] as T[] };
}
