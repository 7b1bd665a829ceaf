import { DatabaseClosedError, type SqlError, type SqlRunResult } from "@cellar/metadata-store";
import type { GroupCommit } from "./group-commit.js";
import type { SqlJsDatabase, SqlJsStatement } from "./sql-js-module.js";
import { mapWasmError } from "./wasm-errors.js";

const BIGINT = { useBigInt: true } as const;

/**
 * The state one sql.js connection shares between its `WasmDatabase` and its statements: the
 * handle, the change counter that drives group commit, and the helpers every call needs.
 * Internal to this package.
 */
export class WasmConnection {
  /** The file path, or `":memory:"`. */
  readonly location: string;
  /** Grows whenever a statement that may write runs; group commit writes when it passes the file's version. */
  version = 0;
  /** Set for file-backed connections. */
  groupCommit: GroupCommit | undefined;
  #handle: SqlJsDatabase | undefined;
  #totalChanges: SqlJsStatement | undefined;
  #runInfo: SqlJsStatement | undefined;

  constructor(handle: SqlJsDatabase, location: string) {
    this.#handle = handle;
    this.location = location;
  }

  /** False once closed. */
  get open(): boolean {
    return this.#handle !== undefined;
  }

  /** The sql.js database; throws `DatabaseClosedError` once closed. */
  get handle(): SqlJsDatabase {
    if (this.#handle === undefined) throw new DatabaseClosedError(this.location);
    return this.#handle;
  }

  /** Throw `DatabaseClosedError` once closed. */
  assertOpen(): void {
    if (this.#handle === undefined) throw new DatabaseClosedError(this.location);
  }

  /** Note that something may have been written. */
  changed(): void {
    this.version++;
  }

  /** After any statement: a write waiting for a transaction to end may now be able to run. */
  settled(): void {
    if (this.groupCommit?.waiting === true) this.groupCommit.poke();
  }

  /** Map an error thrown by sql.js. */
  fail(error: unknown): SqlError {
    return mapWasmError(error, this.#handle, this.location);
  }

  /**
   * Whether SQLite has a transaction open. sql.js exports no `sqlite3_get_autocommit`, so ask
   * SQLite: `BEGIN` fails inside a transaction. An empty `BEGIN`/`COMMIT` changes nothing, takes
   * no lock and does not disturb statements being iterated.
   */
  probeTransaction(): boolean {
    const handle = this.#handle;
    if (handle === undefined) return false;
    try {
      handle.run("BEGIN");
    } catch {
      return true;
    }
    handle.run("COMMIT");
    return false;
  }

  /** `total_changes()`, read before a `run` to tell whether the statement changed any row. */
  totalChanges(): number {
    const statement = (this.#totalChanges ??= this.handle.prepare("SELECT total_changes()"));
    try {
      statement.step();
      return statement.get()[0] as number;
    } finally {
      statement.reset();
    }
  }

  /**
   * What `run` returns. `changes()` keeps the count of the last statement that changed rows, so a
   * statement that changed none must report 0 explicitly, as better-sqlite3 does by comparing
   * `total_changes()` before and after.
   */
  runResult(totalBefore: number, safeIntegers: boolean): SqlRunResult {
    const statement = (this.#runInfo ??= this.handle.prepare("SELECT total_changes(), changes(), last_insert_rowid()"));
    try {
      statement.step();
      const [total, changes, rowid] = statement.get(null, BIGINT) as [bigint, bigint, bigint];
      return {
        changes: Number(total) === totalBefore ? 0 : Number(changes),
        lastInsertRowid: safeIntegers ? rowid : Number(rowid),
      };
    } finally {
      statement.reset();
    }
  }

  /** Close the sql.js handle (which frees every statement prepared on it). */
  closeHandle(): void {
    const handle = this.#handle;
    if (handle === undefined) return;
    this.#handle = undefined;
    this.#totalChanges = undefined;
    this.#runInfo = undefined;
    handle.close();
  }
}
