import Database from "better-sqlite3";
import {
  MEMORY_LOCATION,
  SqlError,
  assertDatabaseDirectory,
  removeDatabaseFiles,
  toSqlError,
  type SqlEngine,
  type SqlEngineCapabilities,
} from "@cellar/metadata-store";
import { SqliteDatabase } from "./sqlite-database.js";

/** Options of {@link createSqliteEngine}. */
export interface SqliteEngineOptions {
  /**
   * `"normal"` (default): `synchronous=NORMAL`; a commit survives the process being killed, and
   * the last commits may be lost on power loss. `"strict"`: `synchronous=FULL`, every commit is
   * fsynced and survives power loss, at the cost of an fsync per transaction.
   */
  readonly durability?: "normal" | "strict";
  /**
   * How long a statement waits for another connection's lock before failing with `BusyError`,
   * in milliseconds. Default 5000.
   */
  readonly busyTimeoutMs?: number;
}

/** What the better-sqlite3 engine can do. */
export const SQLITE_ENGINE_CAPABILITIES: SqlEngineCapabilities = Object.freeze({
  persistent: true,
  multiProcess: true,
  strictDurability: true,
  walFiles: true,
});

const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/**
 * A `SqlEngine` on better-sqlite3 (native SQLite). Files are opened in WAL mode with 4096-byte
 * pages, exactly as `wrangler dev` keeps them, so several processes (and a running
 * `wrangler dev`) can share a file; writers wait for each other up to `busyTimeoutMs`.
 *
 * @throws TypeError on an invalid option
 */
export function createSqliteEngine(options: SqliteEngineOptions = {}): SqlEngine {
  const durability = options.durability ?? "normal";
  if (durability !== "normal" && durability !== "strict") {
    throw new TypeError(`durability must be "normal" or "strict", got ${JSON.stringify(durability)}`);
  }
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  if (!Number.isSafeInteger(busyTimeoutMs) || busyTimeoutMs < 0) {
    throw new TypeError(`busyTimeoutMs must be a non-negative integer, got ${String(busyTimeoutMs)}`);
  }
  const synchronous = durability === "strict" ? "FULL" : "NORMAL";

  return {
    name: "better-sqlite3",
    capabilities: SQLITE_ENGINE_CAPABILITIES,
    open(location: string) {
      const inMemory = location === MEMORY_LOCATION;
      if (!inMemory) assertDatabaseDirectory(location);
      let db: Database.Database;
      try {
        db = new Database(location, { timeout: busyTimeoutMs });
      } catch (error) {
        throw toSqlError(error, location);
      }
      try {
        if (!inMemory) {
          // Page size is left alone: 4096 is SQLite's default for new files, and an existing
          // file keeps the size it was created with.
          const mode = db.pragma("journal_mode = WAL", { simple: true });
          if (String(mode).toLowerCase() !== "wal") {
            throw new SqlError("ERR_SQL_IO", `Cannot use WAL mode for ${location}: SQLite kept journal_mode=${String(mode)}`);
          }
        }
        db.pragma(`synchronous = ${synchronous}`);
        // better-sqlite3 builds enable foreign keys by default; say so explicitly so the
        // contract does not depend on compile options.
        db.pragma("foreign_keys = ON");
      } catch (error) {
        db.close();
        throw toSqlError(error, location);
      }
      return new SqliteDatabase(db, location);
    },
    remove(location: string) {
      removeDatabaseFiles(location);
    },
  };
}
