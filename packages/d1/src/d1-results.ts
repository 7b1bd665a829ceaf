import type { D1Result } from "./d1-types.js";
import type { D1ResultValue } from "./d1-values.js";
import type { RequestOutcome } from "./d1-core.js";
import type { QueryResult } from "./request-executor.js";

/**
 * Rows as objects, as the binding's `toArrayOfObjects` builds them: with duplicate column names
 * the last value wins (`Object.fromEntries`).
 */
export function rowObjects(result: QueryResult): Record<string, D1ResultValue>[] {
  const { columns, rows } = result;
  // A column named `__proto__` must become an own property, as Object.fromEntries makes it.
  const plain = !columns.includes("__proto__");
  return rows.map((row) => {
    const object: Record<string, D1ResultValue> = {};
    for (let i = 0; i < columns.length; i++) {
      if (plain) object[columns[i]!] = row[i]!;
      else Object.defineProperty(object, columns[i]!, { value: row[i], writable: true, enumerable: true, configurable: true });
    }
    return object;
  });
}

/** One query's `D1Result`: `{ success: true, meta, results }`. */
export function toD1Result<T>(result: QueryResult): D1Result<T> {
  return { success: true, meta: result.meta, results: rowObjects(result) as T[] };
}

/**
 * The export PRAGMA's reply as the binding shapes it: `results` is `[[...statements]]` and `meta`
 * is empty, exactly as Miniflare answers `wrangler d1 export --local`.
 */
export function exportResult<T>(outcome: Extract<RequestOutcome, { kind: "export" }>): D1Result<T> {
  return { success: true, meta: {} as D1Result<T>["meta"], results: [outcome.statements] as T[] };
}
