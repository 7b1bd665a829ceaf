import type { SqlDatabase } from "@cellar/metadata-store";
import { D1_MESSAGES, formatSqliteError } from "./d1-errors.js";
import type { Denial } from "./sql/denial.js";

/**
 * What workerd reports for a statement D1's rules refuse. `reportedOffset` turns an offset in
 * the statement into the one workerd appends (`… at offset N`).
 */
export function refusalMessage(database: SqlDatabase, denial: Denial, reportedOffset: (offset: number) => number): string {
  switch (denial.kind) {
    case "transaction":
      return D1_MESSAGES.transaction;
    case "not-authorized":
      return formatSqliteError("not authorized", "SQLITE_AUTH");
    case "function":
      // SQLite replaces the authorizer's message, and with it the code, when it refuses a function.
      return formatSqliteError(`not authorized to use function: ${denial.name}`, "SQLITE_ERROR", reportedOffset(denial.offset));
    case "error":
      return formatSqliteError(denial.message, "SQLITE_ERROR", denial.offset === undefined ? undefined : reportedOffset(denial.offset));
    case "read": {
      const { table, column } = protectedColumn(database, denial.table, denial.names);
      return formatSqliteError(`access to ${table}.${column} is prohibited`, "SQLITE_AUTH");
    }
  }
}

/**
 * The table and column SQLite's authorizer names for a refused read: the table as the schema
 * spells it, and the first of its columns the statement mentions (its first column for `*`, or
 * when the statement names none).
 */
function protectedColumn(database: SqlDatabase, table: string, names: readonly string[]): { table: string; column: string } {
  try {
    const name = database.prepare<[string]>("SELECT name FROM sqlite_schema WHERE name = ? COLLATE NOCASE").raw().get(table)?.[0] ?? table;
    const columns = database
      .prepare<[string]>("SELECT name FROM pragma_table_info(?)")
      .raw()
      .all(name)
      .map((column) => column[0]);
    const lower = columns.map((column) => column.toLowerCase());
    for (const candidate of names) {
      if (candidate === "*") break;
      const index = lower.indexOf(candidate);
      if (index !== -1) return { table: name, column: columns[index]! };
    }
    return { table: name, column: columns[0] ?? "key" };
  } catch {
    return { table, column: "key" };
  }
}
