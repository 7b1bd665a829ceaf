import { BusyError, ConstraintError, DatabaseClosedError, SqlError, type SqlErrorCode } from "./errors.js";

/**
 * SQLite's own messages for its primary result codes (`sqlite3ErrStr`), for engines whose errors
 * carry only a message (sql.js). Exact matches only: these texts are stable across versions.
 */
const messageCodes: ReadonlyMap<string, string> = new Map([
  ["SQL logic error", "SQLITE_ERROR"],
  ["internal logic error", "SQLITE_INTERNAL"],
  ["access permission denied", "SQLITE_PERM"],
  ["query aborted", "SQLITE_ABORT"],
  ["database is locked", "SQLITE_BUSY"],
  ["database table is locked", "SQLITE_LOCKED"],
  ["out of memory", "SQLITE_NOMEM"],
  ["attempt to write a readonly database", "SQLITE_READONLY"],
  ["interrupted", "SQLITE_INTERRUPT"],
  ["disk I/O error", "SQLITE_IOERR"],
  ["database disk image is malformed", "SQLITE_CORRUPT"],
  ["unknown operation", "SQLITE_NOTFOUND"],
  ["database or disk is full", "SQLITE_FULL"],
  ["unable to open database file", "SQLITE_CANTOPEN"],
  ["locking protocol", "SQLITE_PROTOCOL"],
  ["database schema has changed", "SQLITE_SCHEMA"],
  ["string or blob too big", "SQLITE_TOOBIG"],
  ["constraint failed", "SQLITE_CONSTRAINT"],
  ["datatype mismatch", "SQLITE_MISMATCH"],
  ["bad parameter or other API misuse", "SQLITE_MISUSE"],
  ["large file support is disabled", "SQLITE_NOLFS"],
  ["authorization denied", "SQLITE_AUTH"],
  ["column index out of range", "SQLITE_RANGE"],
  ["file is not a database", "SQLITE_NOTADB"],
]);

/** Message prefixes of the constraint kinds, mapped to the extended code native SQLite reports. */
const constraintPrefixes: readonly (readonly [string, string])[] = [
  ["UNIQUE constraint failed: ", "SQLITE_CONSTRAINT_UNIQUE"],
  ["NOT NULL constraint failed: ", "SQLITE_CONSTRAINT_NOTNULL"],
  ["CHECK constraint failed: ", "SQLITE_CONSTRAINT_CHECK"],
  ["FOREIGN KEY constraint failed", "SQLITE_CONSTRAINT_FOREIGNKEY"],
];

/**
 * The extended result code name SQLite would report for `message`, or `undefined` when the
 * message is not one SQLite produces in a recognisable form. Engines that expose only messages
 * (sql.js) use it; a UNIQUE failure on a primary key needs the schema to tell apart (native
 * SQLite reports `SQLITE_CONSTRAINT_PRIMARYKEY` with the same message), so drivers may refine it.
 */
export function sqliteCodeFromMessage(message: string): string | undefined {
  const exact = messageCodes.get(message);
  if (exact !== undefined) return exact;
  for (const [prefix, code] of constraintPrefixes) if (message.startsWith(prefix)) return code;
  // STRICT tables: "cannot store TEXT value in INTEGER column t.a".
  if (/^cannot store \w+ value in \w+ column /.test(message)) return "SQLITE_CONSTRAINT_DATATYPE";
  return undefined;
}

/** better-sqlite3's own (non-SQLite) errors: caller mistakes it detects before calling SQLite. */
const driverMessages: readonly (readonly [RegExp, SqlErrorCode])[] = [
  [/^Too (few|many) parameter values were provided$|^Missing named parameter /, "ERR_SQL_RANGE"],
  [/^The supplied SQL string contains (more than one statement|no statements)$/, "ERR_SQL_MISUSE"],
];

/**
 * Turn anything an engine threw into the right `SqlError`, keeping SQLite's message verbatim
 * (gateways such as D1 show it to users) and its extended code in `sqliteCode`.
 *
 * - An error with a `code` like `"SQLITE_CONSTRAINT_UNIQUE"` (better-sqlite3) is classified by
 *   that code; otherwise the code is inferred from the message with {@link sqliteCodeFromMessage}.
 * - `SQLITE_BUSY`/`SQLITE_LOCKED` become a {@link BusyError} whose message names `location`;
 *   constraint codes a {@link ConstraintError}; READONLY, CORRUPT/NOTADB, FULL, RANGE,
 *   IOERR/CANTOPEN and MISUSE their own codes; anything else `ERR_SQL`.
 * - Driver-level caller mistakes (wrong parameter count, several statements in `prepare`, a
 *   `TypeError` such as an unbindable value) become `ERR_SQL_RANGE` or `ERR_SQL_MISUSE`.
 * - A `SqlError` is returned unchanged.
 *
 * @param error what the engine threw (an `Error`, or a string as some sql.js paths throw)
 * @param location the database's file path or `":memory:"`, for messages
 * @param knownSqliteCode the extended code when the driver knows it better than `error` says
 */
export function toSqlError(error: unknown, location: string, knownSqliteCode?: string): SqlError {
  if (error instanceof SqlError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const ownCode = (error as { code?: unknown } | null)?.code;
  const sqliteCode =
    knownSqliteCode ??
    (typeof ownCode === "string" && ownCode.startsWith("SQLITE_") ? ownCode : sqliteCodeFromMessage(message));
  if (sqliteCode !== undefined) return fromSqliteCode(sqliteCode, message, location, error);
  if (message === "The database connection is not open") return new DatabaseClosedError(location);
  for (const [pattern, code] of driverMessages) {
    if (pattern.test(message)) return new SqlError(code, message, { cause: error });
  }
  if (error instanceof TypeError) return new SqlError("ERR_SQL_MISUSE", message, { cause: error });
  return new SqlError("ERR_SQL", message, { cause: error });
}

function fromSqliteCode(sqliteCode: string, message: string, location: string, cause: unknown): SqlError {
  const options = { sqliteCode, cause };
  const primary = primaryCode(sqliteCode);
  switch (primary) {
    case "SQLITE_BUSY":
      return new BusyError(
        `${message}: ${location} stayed locked by another connection past the busy timeout`,
        location,
        options,
      );
    case "SQLITE_LOCKED":
      return new BusyError(`${message}: ${location} is locked by a conflicting statement on this connection`, location, options);
    case "SQLITE_CONSTRAINT":
      return new ConstraintError(message, options);
    default:
      return new SqlError(errorCodeFor(primary), message, options);
  }
}

/** `SQLITE_IOERR_SHORT_READ` → `SQLITE_IOERR`; primary codes are the first two words. */
function primaryCode(sqliteCode: string): string {
  const second = sqliteCode.indexOf("_", "SQLITE_".length);
  return second === -1 ? sqliteCode : sqliteCode.slice(0, second);
}

function errorCodeFor(primary: string): SqlErrorCode {
  switch (primary) {
    case "SQLITE_READONLY":
      return "ERR_SQL_READONLY";
    case "SQLITE_CORRUPT":
    case "SQLITE_NOTADB":
      return "ERR_SQL_CORRUPT";
    case "SQLITE_FULL":
      return "ERR_SQL_FULL";
    case "SQLITE_RANGE":
      return "ERR_SQL_RANGE";
    case "SQLITE_IOERR":
    case "SQLITE_CANTOPEN":
    case "SQLITE_PROTOCOL":
    case "SQLITE_NOLFS":
      return "ERR_SQL_IO";
    case "SQLITE_MISUSE":
      return "ERR_SQL_MISUSE";
    default:
      return "ERR_SQL";
  }
}
