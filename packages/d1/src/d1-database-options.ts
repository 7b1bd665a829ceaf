import type { SqlDatabase } from "@cellar/metadata-store";

/** Options of `createD1Database`. */
export interface D1DatabaseOptions {
  /**
   * The database's own SQLite database: for a database `wrangler dev` sees, the file at
   * `d1DatabasePath(persistRoot, databaseId)` opened with any cellar engine. The D1 database
   * sets `max_page_count` on this connection and expects to be its only user while it runs
   * requests; cellar never adds tables to it.
   */
  readonly database: SqlDatabase;
  /**
   * Largest size the database may grow to, in bytes (Q8); a write beyond it fails with
   * `D1_ERROR: database or disk is full: SQLITE_FULL`. Default 10 GB (10,000,000,000), D1's limit
   * on paid plans; use 500,000,000 for the free plan's.
   */
  readonly maxDatabaseSizeBytes?: number;
  /**
   * How long a request keeps retrying while another process holds the database's write lock,
   * in milliseconds, on top of each attempt's engine busy timeout. Default 10,000. After it, the
   * request fails with `D1_ERROR: database is locked: SQLITE_BUSY` and nothing it did is kept.
   */
  readonly busyRetryMs?: number;
  /**
   * How `exec()` splits its text. `"lines"` (default) is D1's behaviour everywhere: each line is
   * a statement, so a statement spanning lines fails with `incomplete input`; errors name the real
   * line. `"statements"` splits on `;` as SQLite does (trigger bodies included), so statements
   * may span lines; errors name the line the failing statement starts on.
   */
  readonly execSplitting?: "lines" | "statements";
}

/** D1's database size limit on paid plans, in bytes. */
export const DEFAULT_MAX_DATABASE_SIZE_BYTES = 10_000_000_000;
/** How long a request waits out another process's lock by default, in milliseconds. */
export const DEFAULT_BUSY_RETRY_MS = 10_000;
