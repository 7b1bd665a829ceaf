import type { SqlBindValue, SqlParams, SqlValue } from "@cellar/metadata-store";
import { MESSAGES } from "./messages.js";
import type { ObjectDatabase } from "./object-database.js";
import { SqlStorageCursor, type CursorResult } from "./sql-cursor.js";
import { MAX_STATEMENT_BYTES, checkStatement, planParameters } from "./sql-rules.js";
import { splitSqlStatements, type SqlStatementText } from "./sql-statements.js";
import { fromResult, runtimeSqlError, toBinding, type SqlStorageValue } from "./sql-values.js";

/** `sql.prepare()` statements are not offered; the class exists for `sql.Statement` checks. */
export class SqlStorageStatement {}

const READ_ONLY = new Set(["SELECT", "VALUES", "EXPLAIN"]);
const SCHEMA = new Set(["CREATE", "DROP", "ALTER"]);

/**
 * `ctx.storage.sql`: runs SQL on the object's own database with the runtime's rules (no
 * transaction statements, `_cf_` names protected, limits), inside the implicit transaction, so
 * SQL writes coalesce with KV writes.
 */
export class CellarSqlStorage {
  readonly #object: ObjectDatabase;

  /** The cursor class, as `sql.Cursor`. */
  readonly Cursor = SqlStorageCursor;
  /** The statement class, as `sql.Statement`. */
  readonly Statement = SqlStorageStatement;

  constructor(object: ObjectDatabase) {
    this.#object = object;
  }

  /** Bytes used: `(page_count − freelist_count) × 4096`. */
  get databaseSize(): number {
    return this.#object.databaseSize();
  }

  /**
   * Runs `query` at once. With several statements, all but the last run first and the cursor
   * (and the bindings) belong to the last.
   */
  exec<T extends Record<string, SqlStorageValue>>(query: string, ...bindings: unknown[]): SqlStorageCursor<T> {
    const sql = String(query);
    if (Buffer.byteLength(sql) > MAX_STATEMENT_BYTES) throw new Error(MESSAGES.statementTooLong);
    const statements = splitSqlStatements(sql);
    const last = statements.at(-1);
    if (last === undefined) throw new Error("SQL code did not contain a statement.");
    const values = bindings.map(toBinding);
    for (const statement of statements.slice(0, -1)) if (statement.tokens.some((token) => token.kind === "param")) throw new Error(MESSAGES.bindingsOnNonLast);
    let result: CursorResult | undefined;
    for (const statement of statements) result = this.#run(statement, statement === last ? values : []);
    return new SqlStorageCursor<T>(result);
  }

  #run(statement: SqlStatementText, values: SqlBindValue[]): CursorResult {
    checkStatement(statement, (name) => this.#reservedTable(name));
    const plan = planParameters(statement);
    if (values.length !== plan.count) throw new Error(MESSAGES.wrongBindingCount);
    const first = statement.tokens[0]?.value ?? "";
    if (!READ_ONLY.has(first) && !(first === "PRAGMA" && !statement.tokens.some((token) => token.text === "="))) void this.#object.beginWrite();
    const params: SqlParams = plan.numbered ? [Object.fromEntries(values.map((value, index) => [String(index + 1), value]))] : values;
    try {
      const prepared = this.#object.statement(plan.sql);
      if (prepared.reader) {
        const rows = (prepared.raw(true).all(...params) as unknown as SqlValue[][]).map((row) => row.map(fromResult));
        return { columnNames: prepared.columns().map((column) => column.name), rows, rowsRead: rows.length, rowsWritten: 0 };
      }
      if (first === "CREATE") {
        // workerd counts the schema rows a CREATE writes (1 read, 2 written for a plain table).
        const before = this.#schemaRows();
        prepared.run(...params);
        this.#object.schemaChanged();
        return { columnNames: [], rows: [], rowsRead: 1, rowsWritten: 1 + this.#schemaRows() - before };
      }
      const { changes } = prepared.run(...params);
      if (SCHEMA.has(first)) this.#object.schemaChanged();
      return { columnNames: [], rows: [], rowsRead: 0, rowsWritten: changes };
    } catch (error) {
      throw runtimeSqlError(error, statement.text);
    }
  }

  #schemaRows(): number {
    return Number((this.#object.statement("SELECT count(*) AS n FROM sqlite_master").get() as { n: number }).n);
  }

  #reservedTable(lowerName: string): { name: string; columns: string[] } | undefined {
    const row = this.#object.statement("SELECT name FROM sqlite_master WHERE type = 'table' AND lower(name) = ?").get(lowerName) as { name: string } | undefined;
    if (row === undefined) return undefined;
    const columns = this.#object.statement("SELECT name FROM pragma_table_info(?)").all(row.name) as { name: string }[];
    return { name: row.name, columns: columns.map((column) => column.name) };
  }
}
