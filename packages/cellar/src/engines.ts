import type { SqlEngine } from "@cellar/metadata-store";

/** Which SQLite engine every database of a state is opened with. */
export type EngineKind = "native" | "wasm";

/** The engine for `kind`, loaded on demand so the wasm path never loads better-sqlite3. */
export async function loadEngine(kind: EngineKind): Promise<SqlEngine> {
  if (kind === "wasm") {
    const { createWasmEngine } = await import("@cellar/metadata-store-wasm");
    return createWasmEngine();
  }
  if (kind !== "native") throw new TypeError(`engine must be "native" or "wasm", got ${JSON.stringify(kind)}`);
  const { createSqliteEngine } = await import("@cellar/metadata-store-sqlite");
  return createSqliteEngine();
}

/**
 * Tells whether another connection (another process such as `wrangler dev`, or another state in
 * this one) holds a database file open. Returns undefined when it cannot tell.
 *
 * SQLite deletes a database's `-wal` and `-shm` files when its last connection closes, so their
 * presence means the file is open elsewhere, or that a process was killed. To tell the two apart,
 * a probe connection asks for the file exclusively (`locking_mode = EXCLUSIVE`, then
 * `BEGIN IMMEDIATE`) with a 50 ms busy timeout: while any other connection has the file open, even
 * an idle reader, that fails with `SQLITE_BUSY`. The probe writes nothing; when it succeeds it was
 * the only connection, and closing it checkpoints the leftover `-wal` as any last connection does.
 */
export type HeldOpenProbe = (file: string) => boolean;

/** The probe on better-sqlite3; undefined when the native engine cannot load (wasm-only hosts). */
export async function loadHeldOpenProbe(): Promise<HeldOpenProbe | undefined> {
  let probeEngine: SqlEngine;
  try {
    const { createSqliteEngine } = await import("@cellar/metadata-store-sqlite");
    probeEngine = createSqliteEngine({ busyTimeoutMs: 50 });
  } catch {
    return undefined;
  }
  return (file) => {
    const database = probeEngine.open(file);
    try {
      database.exec("PRAGMA locking_mode = EXCLUSIVE");
      database.exec("BEGIN IMMEDIATE");
      database.exec("ROLLBACK");
      return false;
    } catch (error) {
      if ((error as { code?: unknown }).code === "ERR_SQL_BUSY") return true;
      throw error;
    } finally {
      database.close();
    }
  };
}
