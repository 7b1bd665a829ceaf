/**
 * Every error a metadata store throws carries a stable `code`; tests and callers branch on it.
 * Engine errors keep SQLite's own message and its extended result code name in `sqliteCode`,
 * so gateways (D1 in particular) can format them the way the runtime does.
 */
export type SqlErrorCode =
  | "ERR_SQL" // any other SQLite error (syntax, no such table, ...)
  | "ERR_SQL_BUSY" // the database stayed locked by another connection past the busy timeout
  | "ERR_SQL_CONSTRAINT" // UNIQUE, NOT NULL, CHECK, FOREIGN KEY, PRIMARY KEY
  | "ERR_SQL_CLOSED" // the database was closed
  | "ERR_SQL_READONLY" // a write to a read-only database or file
  | "ERR_SQL_CORRUPT" // not a database, or a damaged file
  | "ERR_SQL_FULL" // disk full or database too large
  | "ERR_SQL_RANGE" // bad parameter index or count
  | "ERR_SQL_IO" // the file could not be read or written
  | "ERR_SQL_MISUSE" // API misuse, e.g. a promise returned from a transaction
  | "ERR_SQL_WAL_PRESENT" // the file has un-checkpointed -wal (or hot -journal) content this engine cannot apply
  | "ERR_MIGRATION"; // a migration failed or the database is newer than the code

/** Base class of every metadata-store error. */
export class SqlError extends Error {
  /** Stable code to branch on; see {@link SqlErrorCode}. */
  readonly code: SqlErrorCode;
  /** SQLite's extended result code name, e.g. `SQLITE_CONSTRAINT_UNIQUE`; undefined when not from SQLite. */
  readonly sqliteCode: string | undefined;
  constructor(code: SqlErrorCode, message: string, options?: { sqliteCode?: string; cause?: unknown }) {
    super(message, { cause: options?.cause });
    this.name = new.target.name;
    this.code = code;
    this.sqliteCode = options?.sqliteCode;
  }
}

/**
 * The database stayed locked past the busy timeout (`SQLITE_BUSY`), or a table was locked by a
 * conflicting statement (`SQLITE_LOCKED`). The message names the file, because with several
 * processes on one persist root the user needs to know which database is contended.
 */
export class BusyError extends SqlError {
  /** The database file that stayed locked. */
  readonly location: string;
  constructor(message: string, location: string, options?: { sqliteCode?: string; cause?: unknown }) {
    super("ERR_SQL_BUSY", message, options);
    this.location = location;
  }
}

/** A constraint failed (UNIQUE, PRIMARY KEY, NOT NULL, CHECK, FOREIGN KEY, ...); the message is SQLite's, verbatim. */
export class ConstraintError extends SqlError {
  constructor(message: string, options?: { sqliteCode?: string; cause?: unknown }) {
    super("ERR_SQL_CONSTRAINT", message, options);
  }
}

/** A call on a database (or one of its statements) after `close()`. */
export class DatabaseClosedError extends SqlError {
  constructor(location: string) {
    super("ERR_SQL_CLOSED", `The database is closed: ${location}`);
  }
}

/** Invalid migrations, a failed migration (its cause attached), or a database newer than the code. */
export class MigrationError extends SqlError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("ERR_MIGRATION", message, options);
  }
}
