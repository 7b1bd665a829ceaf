import type { MetaSample } from "./database-meta.js";
import type { D1Meta } from "./d1-types.js";
import type { D1ResultValue } from "./d1-values.js";

/**
 * An object with a result's column names as keys (values `null`), kept per prepared statement.
 * Row objects are built as copies of it (`{ ...shape }`), so they share its hidden class: that
 * is faster than adding the keys one by one, and because the shape stays alive, a full garbage
 * collection does not discard the class and with it the optimized code that builds rows.
 */
export type RowShape = Readonly<Record<string, null>>;

/**
 * One query's result, in the database object's rows-and-columns form, with the counters its
 * `meta` is computed from. `meta` itself is built only where it is shown (`queryMeta`): `first()`
 * and `raw()` never show it. A plain object literal, whose hidden class a full garbage collection
 * keeps (a class instance's, with no instance alive, would be dropped, and the code using it with it).
 */
export interface QueryResult {
  readonly columns: string[];
  readonly rows: D1ResultValue[][];
  /** The row shape for `columns`, when the statement keeps one. */
  readonly shape: RowShape | undefined;
  /** Milliseconds spent in SQL (`meta.duration`). */
  readonly duration: number;
  /** Rows changed, triggers included (difference in `total_changes()`). */
  readonly changes: number;
  /** Whether the query changed the database (`changed_db`). */
  readonly changed: boolean;
  /** The connection's counters after the query. */
  readonly after: MetaSample;
  /** Attempts made, counting retries of a locked database. */
  readonly attempts: number;
}

/** The row shape for `columns`, or undefined when a column is named `__proto__` (which needs an own property; see `rowObjects`). */
export function rowShape(columns: readonly string[]): RowShape | undefined {
  if (columns.includes("__proto__")) return undefined;
  const shape: Record<string, null> = {};
  for (const column of columns) shape[column] = null;
  return shape;
}

/** The query's `meta`, as the database object reports it. */
export function queryMeta(result: QueryResult): D1Meta & Record<string, unknown> {
  return {
    served_by: "miniflare.db",
    duration: result.duration,
    changes: result.changes,
    last_row_id: result.after.lastRowId,
    changed_db: result.changed,
    size_after: result.after.size,
    rows_read: result.rows.length,
    rows_written: result.changes,
    served_by_primary: true,
    timings: { sql_duration_ms: result.duration },
    total_attempts: result.attempts,
  };
}
