/**
 * The smallest structural shape of a Workers `D1Database` the suite drives. Declared here so the
 * suite depends on no implementation: `@cellar/d1`, Miniflare's binding, or your own.
 */
export interface D1DatabaseLike {
  prepare(query: string): D1PreparedStatementLike;
  batch(statements: D1PreparedStatementLike[]): Promise<D1ResultLike[]>;
  exec(query: string): Promise<{ count: number; duration: number }>;
  withSession(constraintOrBookmark?: string): D1SessionLike;
  dump(): Promise<ArrayBuffer>;
}

/** A prepared statement as the suite uses it. */
export interface D1PreparedStatementLike {
  bind(...values: unknown[]): D1PreparedStatementLike;
  first(colName?: string): Promise<unknown>;
  run(): Promise<D1ResultLike>;
  all(): Promise<D1ResultLike>;
  raw(options?: { columnNames?: boolean }): Promise<unknown[]>;
}

/** A session as the suite uses it. */
export interface D1SessionLike {
  prepare(query: string): D1PreparedStatementLike;
  batch(statements: D1PreparedStatementLike[]): Promise<D1ResultLike[]>;
  getBookmark(): string | null;
}

/** A result as the suite reads it. */
export interface D1ResultLike {
  success: boolean;
  meta: Record<string, unknown>;
  results: unknown[];
}

/**
 * Backdoor hooks that read stored state without going through the database under test. Each is
 * optional; declare the ones you provide in `capabilities`.
 */
export interface D1Inspect {
  /**
   * Run a read-only SQL query on an independent connection to the database's storage (another
   * engine instance, as another process would) and return its rows as arrays. With `persistent`
   * engines that buffer writes, this sees only what reached storage.
   */
  query?(sql: string): Promise<unknown[][]>;
}

/** One isolated database for one test, and how to tear it down. */
export interface D1Fixture {
  /** The database under test, empty. */
  readonly db: D1DatabaseLike;
  /** Releases everything the fixture created (connections, temp dirs). */
  cleanup(): Promise<void>;
  /** A new database object over the same storage, as after a restart (the old one is closed); required when `capabilities.persistent`. */
  reopen?(): Promise<D1DatabaseLike>;
  /** A second database object on its own connection to the same storage, as another process opens it; required when `capabilities.multiConnection`. */
  second?(): Promise<D1DatabaseLike>;
  /** Backdoor hooks; see {@link D1Inspect}. */
  readonly inspect?: D1Inspect;
}

/** What the backend offers beyond the D1 API; each missing one skips the tests that need it, named in their titles. */
export interface D1SuiteCapabilities {
  /** Data survives `reopen()`. */
  readonly persistent?: boolean;
  /** `fixture.second()` opens another connection to the same database (a file shared by processes). */
  readonly multiConnection?: boolean;
  /** The fixture provides `inspect.query`. */
  readonly inspect?: boolean;
  /**
   * JS numbers bind as REAL, as D1 binds them (`typeof(?)` is `real` for 1). sql.js binds
   * integral numbers as INTEGER, so engines built on it do not have this.
   */
  readonly numbersBindAsReal?: boolean;
  /** FTS5 virtual tables are available. */
  readonly fts5?: boolean;
  /** `create({ maxDatabaseSizeBytes })` caps the database's size (Q8). */
  readonly sizeLimit?: boolean;
  /** Miniflare's local export PRAGMA (`PRAGMA miniflare_d1_export(?,?,?);`), which `wrangler d1 export --local` uses. */
  readonly exportPragma?: boolean;
  /** `create({ withCfMetadata: true })` starts from a file holding workerd's `_cf_METADATA` table, as `wrangler dev` leaves it. */
  readonly cfMetadata?: boolean;
}

/** What `create` is asked for. */
export interface D1CreateContext {
  /** With `capabilities.sizeLimit`: the database's maximum size in bytes. */
  readonly maxDatabaseSizeBytes?: number;
  /**
   * With `capabilities.cfMetadata`: create the database's storage with workerd's internal table
   * first, `CREATE TABLE _cf_METADATA (key INTEGER PRIMARY KEY, value BLOB)` holding key 2 = 41
   * (the bookmark counter), as a file `wrangler dev` has opened.
   */
  readonly withCfMetadata?: boolean;
}

/** What every `describeD1*` function takes. */
export interface DescribeD1Options {
  /** Shown as the outermost `describe` block, e.g. `"d1 (better-sqlite3 file)"`. */
  readonly name: string;
  /** A fresh, isolated, empty database per test. */
  create(context: D1CreateContext): Promise<D1Fixture>;
  /** Defaults to none. */
  readonly capabilities?: D1SuiteCapabilities;
}
