import type { SqlDatabase } from "@cellar/metadata-store";
import { D1_MESSAGES } from "../d1-errors.js";
import { quoteIdentifier, sqlLiteral } from "./sql-literal.js";

/** What to export; the options of `wrangler d1 export`. */
export interface DumpOptions {
  /** Leave out `CREATE`, `DELETE FROM sqlite_sequence` and `ANALYZE` statements (`--no-schema`). */
  readonly noSchema?: boolean;
  /** Leave out the rows (`--no-data`). */
  readonly noData?: boolean;
  /**
   * Only these tables (`--table`); empty or omitted: all. An index, trigger or view is kept only
   * if its own name is listed, as D1's exporter does.
   */
  readonly tables?: readonly string[];
  /**
   * Write each INSERT with its column list, `INSERT INTO "t" ("a","b") VALUES(…)`, as the newest
   * workers-sdk does. Default false: `INSERT INTO "t" VALUES(…)`.
   */
  readonly columnNames?: boolean;
}

interface SchemaRow {
  readonly name: string;
  readonly sql: string;
}

/**
 * The statements of an export, one at a time, in the order and form of Miniflare's `dumpSql`
 * (which D1's own exporter shares): `PRAGMA defer_foreign_keys=TRUE;`, each table's schema and
 * rows in rowid order of `sqlite_schema` (with `sqlite_sequence` last), then indexes, triggers
 * and views. `_cf_*` and other `sqlite_*` tables are skipped; a virtual table makes the export
 * fail, as in D1. Rows are read with a cursor, so a large table is never held in memory.
 *
 * Reads run on `database` as they are pulled; the caller keeps the database otherwise unused
 * (and in one read transaction) until the generator finishes or is closed.
 */
export function* dumpStatements(database: SqlDatabase, options: DumpOptions = {}): Generator<string, void, undefined> {
  yield "PRAGMA defer_foreign_keys=TRUE;";
  const filter = new Set(options.tables ?? []);
  const tables = database
    .prepare<SchemaRow>(
      "SELECT name, type, sql FROM sqlite_schema AS o WHERE (true) AND type=='table' AND sql NOT NULL ORDER BY tbl_name='sqlite_sequence', rowid",
    )
    .all();
  for (const { name: table, sql } of tables) {
    if (filter.size > 0 && !filter.has(table)) continue;
    if (table === "sqlite_sequence") {
      if (options.noSchema !== true) yield "DELETE FROM sqlite_sequence;";
    } else if (/^sqlite_stat./.test(table)) {
      // SQLite's shell writes this before the statistics rows, and so does D1.
      if (options.noSchema !== true) yield "ANALYZE sqlite_schema;";
    } else if (sql.startsWith("CREATE VIRTUAL TABLE")) {
      throw new Error(D1_MESSAGES.exportVirtualTables);
    } else if (table.startsWith("_cf_") || table.startsWith("sqlite_")) {
      continue;
    } else if (options.noSchema !== true) {
      // The shell adds IF NOT EXISTS when the table's name was quoted in its CREATE statement.
      yield /^CREATE TABLE ['"]/.test(sql) ? `CREATE TABLE IF NOT EXISTS ${sql.substring(13)};` : `${sql};`;
    }
    if (options.noData === true) continue;
    yield* tableRows(database, table, options.columnNames === true);
  }
  if (options.noSchema === true) return;
  const rest = database
    .prepare<SchemaRow>(
      "SELECT name, sql FROM sqlite_schema AS o WHERE (true) AND sql NOT NULL AND type IN ('index', 'trigger', 'view') ORDER BY type COLLATE NOCASE",
    )
    .all();
  for (const { name, sql } of rest) {
    if (filter.size > 0 && !filter.has(name)) continue;
    yield `${sql};`;
  }
}

function* tableRows(database: SqlDatabase, table: string, columnNames: boolean): Generator<string, void, undefined> {
  const columns = database
    .prepare<{ name: string }>(`PRAGMA table_info=${quoteIdentifier(table)}`)
    .all()
    .map((column) => quoteIdentifier(column.name));
  const prefix = `INSERT INTO ${quoteIdentifier(table)}${columnNames ? ` (${columns.join(",")})` : ""} VALUES(`;
  // INTEGERs as bigint: exact beyond 2^53, and told apart from REALs.
  const rows = database.prepare<unknown[]>(`SELECT ${columns.join(", ")} FROM ${quoteIdentifier(table)}`).raw(true).safeIntegers(true);
  for (const row of rows.iterate()) {
    let statement = prefix;
    for (let i = 0; i < row.length; i++) statement += (i === 0 ? "" : ",") + sqlLiteral(row[i]);
    yield `${statement});`;
  }
}
