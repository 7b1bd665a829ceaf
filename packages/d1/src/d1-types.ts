/**
 * The D1 API's types, declared structurally so this package needs no runtime dependency on
 * `@cloudflare/workers-types`; a type test checks they stay assignable to its `D1Database`.
 */

/** Metadata of one query's result. */
export interface D1Meta {
  /** Milliseconds the query took in the database. */
  duration: number;
  /** Database size in bytes after the query (pages in use × page size). */
  size_after: number;
  /** Rows read by the query (cellar: rows returned). */
  rows_read: number;
  /** Rows written by the query (cellar: rows changed, triggers included). */
  rows_written: number;
  /** `last_insert_rowid()` after the query. */
  last_row_id: number;
  /** True if the query changed rows, the last row id or the database size. */
  changed_db: boolean;
  /** Rows changed by the query, triggers included (difference in `total_changes()`). */
  changes: number;
  /** The region that served the query; undefined locally. */
  served_by_region?: string;
  /** The colo that served the query; undefined locally. */
  served_by_colo?: string;
  /** True when the primary served the query; always true locally. */
  served_by_primary?: boolean;
  /** Time spent executing SQL. */
  timings?: {
    /** Same as `duration` locally. */
    sql_duration_ms: number;
  };
  /** Attempts made, counting retries of a database that was locked by another process. */
  total_attempts?: number;
}

/** A successful result without rows. */
export interface D1Response {
  success: true;
  meta: D1Meta & Record<string, unknown>;
  error?: never;
}

/** A successful result with rows. */
export type D1Result<T = unknown> = D1Response & {
  results: T[];
};

/** What `exec` resolves with. */
export interface D1ExecResult {
  /** Statements executed (lines, or statements with `execSplitting: "statements"`), blank ones excluded. */
  count: number;
  /** Sum of their durations, in milliseconds. */
  duration: number;
}

/** Where a session's first query may go. */
export type D1SessionConstraint = "first-primary" | "first-unconstrained";
/** A session bookmark: `%08x-%08x-00000000-` followed by 32 zeros. */
export type D1SessionBookmark = string;

/** A statement with its bound values; each call runs it as one request. */
export interface D1PreparedStatement {
  /** A new statement with `values` bound by position (see the README for the type mapping). */
  bind(...values: unknown[]): D1PreparedStatement;
  /** The value of `colName` in the first row, or `null` when there are no rows. */
  first<T = unknown>(colName: string): Promise<T | null>;
  /** The first row, or `null`. */
  first<T = Record<string, unknown>>(): Promise<T | null>;
  /** Run it; the result still holds the rows (as local D1 does). */
  run<T = Record<string, unknown>>(): Promise<D1Result<T>>;
  /** Run it and return every row as an object (with duplicate column names, the last wins). */
  all<T = Record<string, unknown>>(): Promise<D1Result<T>>;
  /** Rows as arrays, the column names first. */
  raw<T = unknown[]>(options: { columnNames: true }): Promise<[string[], ...T[]]>;
  /** Rows as arrays. */
  raw<T = unknown[]>(options?: { columnNames?: false }): Promise<T[]>;
}

/** Queries that share a bookmark: each sees at least what the previous ones wrote. */
export interface D1DatabaseSession {
  /** A statement run in this session. */
  prepare(query: string): D1PreparedStatement;
  /** Statements run in one transaction, in this session. */
  batch<T = unknown>(statements: D1PreparedStatement[]): Promise<D1Result<T>[]>;
  /** The greatest bookmark seen by this session's queries, or `null` before the first. */
  getBookmark(): D1SessionBookmark | null;
}
