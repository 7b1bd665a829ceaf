import { SqlError } from "@cellar/metadata-store";
import type { SqlJsStatement } from "./sql-js-module.js";
import { isBlankSql, scanSql } from "./sql-scan.js";
import type { WasmConnection } from "./wasm-connection.js";
import { WasmStatement } from "./wasm-statement.js";

/**
 * Frees the sql.js statement of a wrapper that was garbage-collected: sql.js statements live in
 * wasm memory, which JavaScript's GC does not see. `close()` frees whatever is left.
 */
const finalizer = new FinalizationRegistry<{ statement: SqlJsStatement; connection: WasmConnection }>(
  ({ statement, connection }) => {
    if (connection.open) statement.free();
  },
);

/**
 * Prepare one statement on `connection`, checking what sql.js does not: that `sql` holds a single
 * statement (sql.js silently ignores the rest), and how many parameters it has and what they
 * are called (sql.js binds missing values as NULL instead of failing).
 */
export function prepareWasmStatement<Row>(connection: WasmConnection, sql: string): WasmStatement<Row> {
  let statement: SqlJsStatement;
  try {
    statement = connection.handle.prepare(sql);
  } catch (error) {
    throw connection.fail(error);
  }
  try {
    const first = statement.getSQL();
    if (sql.startsWith(first) && !isBlankSql(sql.slice(first.length))) {
      throw new SqlError("ERR_SQL_MISUSE", "The supplied SQL string contains more than one statement");
    }
    const shape = scanSql(first);
    const wrapper = new WasmStatement<Row>(connection, statement, sql, shape, countIsExact(statement, shape.parameterCount));
    finalizer.register(wrapper, { statement, connection });
    return wrapper;
  } catch (error) {
    statement.free();
    throw connection.fail(error);
  }
}

/**
 * Check the scanner's parameter count against SQLite: binding `count` values must work and
 * binding one more must fail with "column index out of range".
 */
function countIsExact(statement: SqlJsStatement, count: number): boolean {
  try {
    statement.bind(new Array<number>(count).fill(0));
  } catch {
    statement.reset();
    return false;
  }
  try {
    statement.bind(new Array<number>(count + 1).fill(0));
    return false;
  } catch {
    return true;
  } finally {
    statement.reset();
  }
}
