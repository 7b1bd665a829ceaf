import { SqlError, sqliteCodeFromMessage, toSqlError } from "@cellar/metadata-store";
import type { SqlJsDatabase } from "./sql-js-module.js";

/** Errors sql.js raises itself (not SQLite), by message. */
const ownErrors: readonly (readonly [RegExp, SqlError["code"], string | undefined])[] = [
  // Same wording as better-sqlite3, so both engines read alike.
  [/^Nothing to prepare$/, "ERR_SQL_MISUSE", "The supplied SQL string contains no statements"],
  [/^Wrong API use/, "ERR_SQL_MISUSE", undefined],
  [/^(Database|Statement) closed$/, "ERR_SQL_MISUSE", undefined],
  [/^Unable to export/, "ERR_SQL_MISUSE", undefined],
];

/**
 * Map what sql.js threw to a `SqlError` with the `sqliteCode` native SQLite would report.
 *
 * sql.js errors carry only SQLite's message, so the code is inferred from it
 * (`sqliteCodeFromMessage`); any other message from SQLite is a plain `SQLITE_ERROR` (syntax
 * errors, "no such table", ...). A UNIQUE failure on the table's primary key is reported by
 * native SQLite as `SQLITE_CONSTRAINT_PRIMARYKEY` with the same message, so the schema is
 * consulted to tell the two apart.
 *
 * Known gap: a trigger's `RAISE(ABORT, 'text')` arrives as just 'text' and maps to
 * `SQLITE_ERROR`, where native SQLite says `SQLITE_CONSTRAINT_TRIGGER`.
 */
export function mapWasmError(error: unknown, db: SqlJsDatabase | undefined, location: string): SqlError {
  if (error instanceof SqlError) return error;
  const message = error instanceof Error ? error.message : String(error);
  for (const [pattern, code, replacement] of ownErrors) {
    if (pattern.test(message)) return new SqlError(code, replacement ?? message, { cause: error });
  }
  if (!(error instanceof Error)) return toSqlError(error, location);
  let sqliteCode = sqliteCodeFromMessage(message) ?? "SQLITE_ERROR";
  if (sqliteCode === "SQLITE_CONSTRAINT_UNIQUE" && db !== undefined && isPrimaryKeyFailure(db, message)) {
    sqliteCode = "SQLITE_CONSTRAINT_PRIMARYKEY";
  }
  return toSqlError(error, location, sqliteCode);
}

/** "UNIQUE constraint failed: t.a, t.b" names exactly the primary key columns of t. */
function isPrimaryKeyFailure(db: SqlJsDatabase, message: string): boolean {
  const columns = message.slice("UNIQUE constraint failed: ".length).split(", ");
  const first = columns[0] ?? "";
  const dot = first.indexOf(".");
  if (dot <= 0) return false; // "index 'name'": an expression index, never the primary key
  const table = first.slice(0, dot);
  const named = new Set(columns.map((column) => column.slice(column.indexOf(".") + 1)));
  try {
    const result = db.exec("SELECT name FROM pragma_table_info(?) WHERE pk > 0", [table]);
    const primaryKey = (result[0]?.values ?? []).map((row) => String(row[0]));
    return primaryKey.length === named.size && primaryKey.every((name) => named.has(name));
  } catch {
    return false;
  }
}
