import { readdirSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import {
  MEMORY_LOCATION,
  SqlError,
  assertDatabaseDirectory,
  removeDatabaseFiles,
  type SqlDatabase,
  type SqlEngine,
  type SqlEngineCapabilities,
} from "@cellar/metadata-store";
import { TEMP_INFIX, markWal, readDatabaseImage, writeImageAtomicallySync } from "./file-image.js";
import { GroupCommit } from "./group-commit.js";
import { assertNotOpen, claimFile, isFileOpen } from "./open-files.js";
import { loadSqlJs, type SqlJsDatabase, type SqlJsModule } from "./sql-js-module.js";
import { WasmConnection } from "./wasm-connection.js";
import { WasmDatabase } from "./wasm-database.js";

/** A completed write of a database file, reported to {@link WasmEngineOptions.onFileWrite}. */
export interface WasmFileWrite {
  /** The database file that was replaced. */
  readonly location: string;
  /** Size of the image written, in bytes. */
  readonly bytes: number;
}

/** Options of {@link createWasmEngine}. */
export interface WasmEngineOptions {
  /**
   * `"normal"` (default): a flushed file survives the process being killed. `"strict"`: each
   * write also fsyncs the file and its directory, so a flushed file survives power loss.
   */
  readonly durability?: "normal" | "strict";
  /** Called after every file write (for metrics and tests). Must not throw. */
  readonly onFileWrite?: (write: WasmFileWrite) => void;
}

/** What the sql.js engine can do: files, but one process, no WAL. */
export const WASM_ENGINE_CAPABILITIES: SqlEngineCapabilities = Object.freeze({
  persistent: true,
  multiProcess: false,
  strictDurability: true,
  walFiles: false,
});

/**
 * A `SqlEngine` on sql.js (SQLite compiled to wasm), for machines without a native build.
 *
 * Every database is held in memory. A file location is loaded when opened and written back as a
 * whole file (atomically: temporary file, then rename) by `flush()`, with concurrent flushes
 * coalesced, and by `close()`. Files are written in WAL format so native SQLite and
 * `wrangler dev` open them as their own; a file with pending `-wal` content is refused.
 * Single process only: nothing coordinates two processes writing one file.
 *
 * Async because sql.js compiles its wasm module first (once per process).
 *
 * @throws TypeError on an invalid option
 */
export async function createWasmEngine(options: WasmEngineOptions = {}): Promise<SqlEngine> {
  const durability = options.durability ?? "normal";
  if (durability !== "normal" && durability !== "strict") {
    throw new TypeError(`durability must be "normal" or "strict", got ${JSON.stringify(durability)}`);
  }
  const onFileWrite = options.onFileWrite;
  if (onFileWrite !== undefined && typeof onFileWrite !== "function") {
    throw new TypeError("onFileWrite must be a function");
  }
  const sqlJs = await loadSqlJs();
  const durable = durability === "strict";
  const reportWrite = (location: string, bytes: number): void => onFileWrite?.({ location, bytes });

  return {
    name: "sql.js",
    capabilities: WASM_ENGINE_CAPABILITIES,
    open(location: string): SqlDatabase {
      if (location === MEMORY_LOCATION) {
        const connection = new WasmConnection(openHandle(sqlJs, undefined, location), location);
        return new WasmDatabase(connection, () => undefined);
      }
      return openFile(sqlJs, location, durable, reportWrite);
    },
    remove(location: string): void {
      if (location === MEMORY_LOCATION) return;
      if (isFileOpen(location)) {
        throw new SqlError("ERR_SQL_MISUSE", `Cannot remove ${location}: it is open; close it first`);
      }
      removeDatabaseFiles(location, leftoverTempFiles(location));
    },
  };
}

function openFile(
  sqlJs: SqlJsModule,
  location: string,
  durable: boolean,
  reportWrite: (location: string, bytes: number) => void,
): SqlDatabase {
  assertDatabaseDirectory(location);
  assertNotOpen(location);
  const image = readDatabaseImage(location);
  const handle = openHandle(sqlJs, image, location);
  const connection = new WasmConnection(handle, location);
  try {
    if (image === undefined) {
      // Create the file now, as native SQLite does, so it exists (and its directory is known to
      // be writable) from the moment `open` returns.
      const initial = markWal(handle.export());
      writeImageAtomicallySync(location, initial, durable);
      reportWrite(location, initial.length);
    }
  } catch (error) {
    connection.closeHandle();
    throw connection.fail(error);
  }
  connection.groupCommit = new GroupCommit(
    {
      path: location,
      durable,
      get version() {
        return connection.version;
      },
      isBusy: () => connection.probeTransaction(),
      snapshot: () => markWal(connection.handle.export()),
      written: (bytes) => reportWrite(location, bytes),
    },
    connection.version,
  );
  let database: WasmDatabase | undefined;
  const release = claimFile(location, { close: () => database?.close() });
  database = new WasmDatabase(connection, release);
  return database;
}

/** Create the sql.js database and apply the connection settings every cellar database has. */
function openHandle(sqlJs: SqlJsModule, image: Uint8Array | undefined, location: string): SqlJsDatabase {
  const handle = new sqlJs.Database(image ?? null);
  try {
    // Foreign keys on, as better-sqlite3 and D1 have them. The rollback journal stays in memory:
    // the database itself is in memory and reaches the file only as a whole, atomically, so a
    // journal file inside wasm's in-memory file system would only cost time (5x on small writes).
    // Reading sqlite_master fails here, not on first use, if the file is not a database.
    handle.run("PRAGMA foreign_keys = ON; PRAGMA journal_mode = MEMORY; SELECT count(*) FROM sqlite_master;");
  } catch (error) {
    const connection = new WasmConnection(handle, location);
    const mapped = connection.fail(error);
    connection.closeHandle();
    throw mapped;
  }
  return handle;
}

/** `<file>.cellar-tmp-*` files a killed process may have left behind. */
function leftoverTempFiles(location: string): string[] {
  const directory = dirname(location);
  const prefix = basename(location) + TEMP_INFIX;
  try {
    return readdirSync(directory)
      .filter((name) => name.startsWith(prefix))
      .map((name) => join(directory, name));
  } catch {
    return [];
  }
}
