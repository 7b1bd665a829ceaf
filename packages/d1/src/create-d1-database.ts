import { D1Core } from "./d1-core.js";
import { DEFAULT_BUSY_RETRY_MS, DEFAULT_MAX_DATABASE_SIZE_BYTES, type D1DatabaseOptions } from "./d1-database-options.js";
import { D1DatabaseImpl, type CellarD1Database } from "./d1-database.js";

const cores = new WeakMap<object, D1Core>();

/**
 * A `D1Database` on `options.database`, with production D1's semantics: results and `meta`,
 * type mapping, limits, restrictions and error texts as the Workers runtime has them (see the
 * package README for each rule and the few deliberate deviations).
 *
 * @throws TypeError on an invalid option
 * @example
 * const db = createD1Database({ database: createSqliteEngine().open(d1DatabasePath(root, "my-db")) });
 * await db.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)");
 * const { results } = await db.prepare("SELECT * FROM notes WHERE id = ?").bind(1).all();
 */
export function createD1Database(options: D1DatabaseOptions): CellarD1Database {
  const { database } = options;
  if (database === null || typeof database !== "object" || typeof database.prepare !== "function") {
    throw new TypeError("createD1Database needs a `database`: a SqlDatabase from a cellar engine");
  }
  const maxBytes = options.maxDatabaseSizeBytes ?? DEFAULT_MAX_DATABASE_SIZE_BYTES;
  if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0) {
    throw new TypeError(`maxDatabaseSizeBytes must be a positive integer, got ${String(maxBytes)}`);
  }
  const busyRetryMs = options.busyRetryMs ?? DEFAULT_BUSY_RETRY_MS;
  if (!Number.isFinite(busyRetryMs) || busyRetryMs < 0) {
    throw new TypeError(`busyRetryMs must be a non-negative number, got ${String(busyRetryMs)}`);
  }
  const execSplitting = options.execSplitting ?? "lines";
  if (execSplitting !== "lines" && execSplitting !== "statements") {
    throw new TypeError(`execSplitting must be "lines" or "statements", got ${JSON.stringify(execSplitting)}`);
  }
  limitSize(database, maxBytes);
  const core = new D1Core(database, { busyRetryMs });
  const d1 = new D1DatabaseImpl(core, execSplitting);
  cores.set(d1, core);
  return d1;
}

/**
 * Q8: cap the file through SQLite's `max_page_count`, a setting of this connection (it is not
 * stored in the file). SQLite never lowers it below the pages already in use.
 */
function limitSize(database: D1DatabaseOptions["database"], maxBytes: number): void {
  const pageSize = Number(database.prepare<[number]>("PRAGMA page_size").raw().get()?.[0] ?? 4096);
  const pages = Math.max(1, Math.min(4294967294, Math.floor(maxBytes / pageSize)));
  database.exec(`PRAGMA max_page_count = ${pages}`);
}

/**
 * The database object behind a D1 database made by {@link createD1Database}, for export and
 * import, which need to hold it across awaits.
 *
 * @throws TypeError for any other object
 */
export function coreOf(database: CellarD1Database): D1Core {
  const core = cores.get(database);
  if (core === undefined) throw new TypeError("Expected a D1 database made by createD1Database()");
  return core;
}
