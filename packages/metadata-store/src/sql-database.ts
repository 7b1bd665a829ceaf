/**
 * The synchronous, structural SQL interface every cellar gateway uses. It is a subset of
 * better-sqlite3's shape (as kysely's `SqliteDatabase` is), so this package imports no driver
 * and a new backend only has to write a small driver.
 *
 * Synchronous on purpose: better-sqlite3 and sql.js are synchronous, and Durable Object
 * semantics (`transactionSync`, `sql.exec` cursors, the sync KV API) need it.
 */

/**
 * A value SQLite stores or returns: NULL, INTEGER/REAL (`number`, or `bigint` with
 * `safeIntegers`), TEXT (`string`) or BLOB (`Uint8Array`).
 */
export type SqlValue = null | number | bigint | string | Uint8Array;
/** Values that can be bound to a parameter: any {@link SqlValue}, or a `boolean`, which binds as 1/0. */
export type SqlBindValue = SqlValue | boolean;

/**
 * Parameters: positional values for `?`, or one object for named parameters (`:name`,
 * `@name`, `$name`; keys are written without the prefix, as in better-sqlite3). A numbered
 * `?NNN` counts as named too, with key `"NNN"`.
 *
 * Too few or too many positional values, a missing named value, or positional values for a
 * statement with named parameters throw `SqlError` `ERR_SQL_RANGE`; keys that match no parameter
 * are ignored. A value of another type (a symbol, a function) throws `ERR_SQL_MISUSE`.
 */
export type SqlParams = readonly SqlBindValue[] | [Readonly<Record<string, SqlBindValue>>];

/** What `run()` reports. */
export interface SqlRunResult {
  /** Rows inserted, updated or deleted by the statement (not by triggers); 0 for statements that changed nothing. */
  readonly changes: number;
  /** Rowid of the last inserted row on this connection (a `bigint` with `safeIntegers`). */
  readonly lastInsertRowid: number | bigint;
}

/** One result column of a statement. */
export interface SqlColumn {
  /** The result column's name, as SQLite reports it (`AS` alias or expression text). */
  readonly name: string;
}

/**
 * A prepared statement. Row values are `null`, `number` (or `bigint` with `safeIntegers`),
 * `string`, or `Uint8Array` for BLOBs (a `Buffer` is a `Uint8Array`), whatever the engine.
 * Every call returns fresh objects and arrays; nothing returned is shared with the engine.
 * Calls after the database is closed throw `DatabaseClosedError`.
 */
export interface SqlStatement<Row = Record<string, SqlValue>> {
  /** The SQL text the statement was prepared from. */
  readonly source: string;
  /** True when the statement returns rows (a SELECT, or anything with RETURNING). */
  readonly reader: boolean;
  /** Execute; for statements that return no rows, or whose rows you do not need. Any rows are discarded. */
  run(...params: SqlParams): SqlRunResult;
  /** The first row, or `undefined`. Throws `ERR_SQL_MISUSE` on a statement that returns no rows (use `run`). */
  get(...params: SqlParams): Row | undefined;
  /** Every row. Throws `ERR_SQL_MISUSE` on a statement that returns no rows (use `run`). */
  all(...params: SqlParams): Row[];
  /**
   * Rows one at a time. The statement is busy until the iterator finishes or `return()` is
   * called (a `for...of` loop that breaks calls it); do not write to the tables being read.
   */
  iterate(...params: SqlParams): IterableIterator<Row>;
  /** Result columns, in order. Empty for statements that return no rows. */
  columns(): SqlColumn[];
  /** Return rows as arrays of values (keeps duplicate column names). No effect on statements that return no rows. Returns `this`. */
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
 *   synchronous; returning a promise rolls back and throws `SqlError` `ERR_SQL_MISUSE`. A
 *   transaction begun with `exec("BEGIN")` is respected: `transaction(fn)` then nests inside it.
 * - The outermost transaction takes the write lock when it begins (`BEGIN IMMEDIATE`), so two
 *   connections wait for each other (busy timeout) instead of failing mid-transaction.
 * - `flush()` is the durability barrier: it resolves once every transaction committed before
 *   the call would survive the process being killed (and, with strict durability, power loss).
 *   Concurrent calls may share one write.
 * - After `close()` every call throws `DatabaseClosedError` (`flush()` rejects with it);
 *   `close()` itself is idempotent.
 * - Connections enforce foreign keys (`PRAGMA foreign_keys = ON`), as better-sqlite3 and D1 do.
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
  /**
   * Prepare one statement. Throws `SqlError` on a syntax error (`ERR_SQL`), and `ERR_SQL_MISUSE`
   * if `sql` holds no statement or more than one (trailing semicolons and comments are fine).
   */
  prepare<Row = Record<string, SqlValue>>(sql: string): SqlStatement<Row>;
  /** Run SQL text that may hold several statements; returns nothing. */
  exec(sql: string): void;
  /** Run `fn` in a (nested) transaction and return its result; see the contract above. */
  transaction<T>(fn: () => T): T;
  /** The durability barrier; see the contract above. */
  flush(): Promise<void>;
  /**
   * Close the connection, flushing first where the engine buffers writes, so committed data is
   * never lost by closing without `flush()`. An open transaction is rolled back, and running
   * iterators end (their `next()` throws `DatabaseClosedError`). Idempotent.
   */
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
  /** What this engine can do; read by gateways, users and the conformance suite. */
  readonly capabilities: SqlEngineCapabilities;
  /**
   * Open (creating if needed) a database: a file path, or `":memory:"` for a private in-memory
   * one. The file's directory must exist (`ERR_SQL_IO` otherwise); cellar never creates
   * directories behind the caller's back.
   */
  open(location: string): SqlDatabase;
  /**
   * Delete a database's files (the file and its `-wal`, `-shm` and journal companions). A
   * missing file is not an error. The database must not be open.
   */
  remove(location: string): void;
}
