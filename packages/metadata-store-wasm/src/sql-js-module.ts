import initSqlJs from "sql.js";

/** A value sql.js returns: BLOBs as fresh `Uint8Array` copies, INTEGERs as `bigint` with `useBigInt`. */
export type SqlJsValue = null | number | bigint | string | Uint8Array;

/**
 * The part of sql.js 1.16's `Statement` this engine uses. Declared here rather than taken from
 * `@types/sql.js`, which describes an older API (no `useBigInt`); only methods sql.js keeps
 * under their public names in its minified build are listed.
 */
export interface SqlJsStatement {
  /** Reset, then bind an array (index i → parameter i + 1) or an object keyed by full names (`:a`). */
  bind(values?: readonly unknown[] | Record<string, unknown> | null): boolean;
  /** Step once; true when a row is available. Throws an `Error` with SQLite's message. */
  step(): boolean;
  /** The current row's values. */
  get(params?: null, config?: { useBigInt?: boolean }): SqlJsValue[];
  /** Result column names. */
  getColumnNames(): string[];
  /** The text of this (first) statement, as SQLite kept it. */
  getSQL(): string;
  /** Reset and clear bindings, freeing bound strings and blobs. */
  reset(): boolean;
  /** Finalize. */
  free(): boolean;
}

/** The part of sql.js 1.16's `Database` this engine uses. */
export interface SqlJsDatabase {
  /** Execute SQL text (several statements allowed) through `sqlite3_exec`; with params, one statement. */
  run(sql: string, params?: readonly unknown[] | Record<string, unknown>): SqlJsDatabase;
  /** Execute and collect results. */
  exec(
    sql: string,
    params?: readonly unknown[] | Record<string, unknown>,
    config?: { useBigInt?: boolean },
  ): { columns: string[]; values: SqlJsValue[][] }[];
  /** Prepare the first statement of `sql`. Throws the string "Nothing to prepare" for empty text. */
  prepare(sql: string): SqlJsStatement;
  /**
   * A copy of the database file (backup API). In 1.16 it keeps prepared statements and pragmas,
   * refuses to run inside a write transaction, and marks the image as rollback-journal mode.
   */
  export(): Uint8Array;
  /** Close, freeing every statement still prepared on it. */
  close(): void;
}

/** The initialised sql.js module. */
export interface SqlJsModule {
  /** Open a private in-memory database, optionally from a file image. */
  readonly Database: new (data?: Uint8Array | null) => SqlJsDatabase;
}

let loading: Promise<SqlJsModule> | undefined;

/**
 * Load and compile sql.js's wasm once per process; every engine shares the module (it holds no
 * per-database state). A failed load is not cached, so a later call can retry.
 */
export function loadSqlJs(): Promise<SqlJsModule> {
  loading ??= (initSqlJs as unknown as () => Promise<SqlJsModule>)().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}
