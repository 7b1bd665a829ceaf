/**
 * The synchronous, structural SQL interface every cellar gateway uses. It is a subset of
 * better-sqlite3's shape (as kysely's `SqliteDatabase` is), so this package imports no driver
 * and a new backend only has to write a small driver.
 *
 * Synchronous on purpose: better-sqlite3 and sql.js are synchronous, and Durable Object
 * semantics (`transactionSync`, `sql.exec` cursors, the sync KV API) need it.
 */

/** Values that can be bound to a parameter. `boolean` binds as 0/1. */
export type SqlValue = null | number | bigint | string | Uint8Array;
export type SqlBindValue = SqlValue | boolean;

/**
 * Parameters: positional values (`?`, `?NNN`), or one object for named parameters
 * (`:name`, `@name`, `$name`; keys are written without the prefix, as in better-sqlite3).
 */
export type SqlParams = readonly SqlBindValue[] | [Readonly<Record<string, SqlBindValue>>];

export interface SqlRunResult {
  /** Rows inserted, updated or deleted by the statement (not by triggers). */
  readonly changes: number;
  /** Rowid of the last inserted row on this connection. */
  readonly lastInsertRowid: number | bigint;
}

export interface SqlColumn {
  /** The result column's name, as SQLite reports it (`AS` alias or expression text). */
  readonly name: string;
}

/**
 * A prepared statement. Row values are `null`, `number` (or `bigint` with `safeIntegers`),
 * `string`, or `Uint8Array` for BLOBs (a `Buffer` is a `Uint8Array`), whatever the engine.
 */
export interface SqlStatement<Row = Record<string, SqlValue>> {
  /** The SQL text the statement was prepared from. */
  readonly source: string;
  /** True when the statement returns rows (a SELECT, or anything with RETURNING). */
  readonly reader: boolean;
  /** Execute; for statements that return no rows, or whose rows you do not need. */
  run(...params: SqlParams): SqlRunResult;
  /** The first row, or `undefined`. */
  get(...params: SqlParams): Row | undefined;
  /** Every row. */
  all(...params: SqlParams): Row[];
  /** Rows one at a time. The statement is busy until the iterator finishes or `return()` is called. */
  iterate(...params: SqlParams): IterableIterator<Row>;
  /** Result columns, in order. Empty for statements that return no rows. */
  columns(): SqlColumn[];
  /** Return rows as arrays of values (keeps duplicate column names). Returns `this`. */
  raw(enabled?: boolean): this;
  /** Return INTEGER values as `bigint` (exact beyond 2^53). Returns `this`. */
  safeIntegers(enabled?: boolean): this;
}

/**
 * One connection to one SQLite database.
 *
 * Contract:
 * - `transaction(fn)` runs `fn` at once inside a transaction: it commits when `fn` returns and
 *   rolls back when `fn` throws (rethrowing). Calls nest: an inner call is a savepoint, and an
 *   inner throw that the outer `fn` catches rolls back only the inner work. `fn` must be
 *   synchronous; returning a promise throws a `TypeError` and rolls back.
 * - The outermost transaction takes the write lock when it begins (`BEGIN IMMEDIATE`), so two
 *   connections wait for each other (busy timeout) instead of failing mid-transaction.
 * - `flush()` is the durability barrier: it resolves once every transaction committed before
 *   the call would survive the process being killed (and, with strict durability, power loss).
 *   Concurrent calls may share one write.
 * - After `close()` every call throws `DatabaseClosedError`; `close()` itself is idempotent.
 * - Engine errors are thrown as `SqlError` subclasses with stable codes, keeping SQLite's
 *   message and extended result code name (`sqliteCode`, e.g. `SQLITE_CONSTRAINT_UNIQUE`).
 */
export interface SqlDatabase {
  /** Where it lives: a file path, or `":memory:"`. */
  readonly location: string;
  /** False once closed. */
  readonly open: boolean;
  /** True while a transaction (ours or one begun with `exec("BEGIN")`) is open. */
  readonly inTransaction: boolean;
  /** Prepare one statement. Throws `SqlError` on a syntax error or if `sql` holds more than one statement. */
  prepare<Row = Record<string, SqlValue>>(sql: string): SqlStatement<Row>;
  /** Run SQL text that may hold several statements; returns nothing. */
  exec(sql: string): void;
  /** Run `fn` in a (nested) transaction; see the contract above. */
  transaction<T>(fn: () => T): T;
  /** The durability barrier; see the contract above. */
  flush(): Promise<void>;
  /** Close the connection (flushing first where the engine buffers writes). Idempotent. */
  close(): void;
}

/** What an engine can do, declared once; the conformance suite reads it. */
export interface SqlEngineCapabilities {
  /** `open(path)` keeps data in a file that survives the process. */
  readonly persistent: boolean;
  /** Several processes (or connections) may open one file at once; writers wait for each other. */
  readonly multiProcess: boolean;
  /** The engine can be created with strict durability (fsync on every commit). */
  readonly strictDurability: boolean;
  /** Files are read and written in SQLite's WAL mode, as `wrangler dev` keeps them. */
  readonly walFiles: boolean;
}

/** Opens databases. One engine per configuration (durability, busy timeout). */
export interface SqlEngine {
  /** A short name for messages and reports, e.g. `"better-sqlite3"`, `"sql.js"`. */
  readonly name: string;
  readonly capabilities: SqlEngineCapabilities;
  /** Open (creating if needed) a database: a file path, or `":memory:"` for a private in-memory one. */
  open(location: string): SqlDatabase;
  /**
   * Delete a database's files (the file and its `-wal`, `-shm` and journal companions). A
   * missing file is not an error. The database must not be open.
   */
  remove(location: string): void;
}
