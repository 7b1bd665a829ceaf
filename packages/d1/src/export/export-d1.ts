import { coreOf } from "../create-d1-database.js";
import type { CellarD1Database } from "../d1-database.js";
import { dumpStatements, type DumpOptions } from "./dump-statements.js";

/** Options of {@link exportD1}. */
export interface ExportD1Options extends DumpOptions {
  /** Roughly how many characters each yielded chunk holds (whole statements only). Default 65,536. */
  readonly chunkSize?: number;
}

/**
 * Export a D1 database as SQL text, in the format of `wrangler d1 export` (see `DumpOptions` for
 * the options it shares). Yields chunks of whole statements, each statement on its own line,
 * read from one consistent snapshot with a cursor, so memory stays flat for any size:
 *
 * ```ts
 * await pipeline(Readable.from(exportD1(db)), createWriteStream("backup.sql"));
 * ```
 *
 * While the export runs, the database's other requests wait; consume the iterator to the end or
 * stop it with `return()` (a `for await` loop that breaks does). A database holding a virtual
 * table fails with `D1 Export error: cannot export databases with Virtual Tables (fts5)`.
 *
 * @throws TypeError when `database` was not made by `createD1Database`
 */
export function exportD1(database: CellarD1Database, options: ExportD1Options = {}): AsyncGenerator<string, void, undefined> {
  const core = coreOf(database);
  const chunkSize = options.chunkSize ?? 65_536;
  if (!Number.isSafeInteger(chunkSize) || chunkSize <= 0) throw new TypeError(`chunkSize must be a positive integer, got ${String(chunkSize)}`);
  return (async function* () {
    const release = await core.acquire();
    const sql = core.database;
    const began = !sql.inTransaction;
    try {
      // One read transaction: the export is a snapshot even while other processes write.
      if (began) sql.exec("BEGIN");
      let chunk = "";
      for (const statement of dumpStatements(sql, options)) {
        chunk += `${statement}\n`;
        if (chunk.length >= chunkSize) {
          yield chunk;
          chunk = "";
        }
      }
      if (chunk !== "") yield chunk;
    } finally {
      try {
        if (began && sql.inTransaction) sql.exec("COMMIT");
      } finally {
        release();
      }
    }
  })();
}
