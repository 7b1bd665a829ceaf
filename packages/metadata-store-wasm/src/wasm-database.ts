import {
  DatabaseClosedError,
  TransactionRunner,
  type SqlDatabase,
  type SqlStatement,
  type SqlValue,
} from "@cellar/metadata-store";
import type { WasmConnection } from "./wasm-connection.js";
import { prepareWasmStatement } from "./prepare-wasm-statement.js";

/**
 * One sql.js database behind the `SqlDatabase` interface. The data lives in wasm memory; for a
 * file location, `flush()` writes it back through group commit and `close()` writes what is left.
 * Created by `(await createWasmEngine()).open(location)`.
 */
export class WasmDatabase implements SqlDatabase {
  /** The file path, or `":memory:"`. */
  readonly location: string;
  readonly #connection: WasmConnection;
  readonly #runner: TransactionRunner;
  readonly #release: () => void;

  /**
   * @internal Use the engine's `open`.
   * @param release unregisters the file from the process-wide open-file registry
   */
  constructor(connection: WasmConnection, release: () => void) {
    this.#connection = connection;
    this.location = connection.location;
    this.#release = release;
    this.#runner = new TransactionRunner({
      control: (sql) => {
        try {
          connection.handle.run(sql);
        } catch (error) {
          throw connection.fail(error);
        }
      },
      get inTransaction() {
        return connection.probeTransaction();
      },
    });
  }

  /** False once closed. */
  get open(): boolean {
    return this.#connection.open;
  }

  /** True while a transaction is open (ours, or one begun with `exec("BEGIN")`); false once closed. */
  get inTransaction(): boolean {
    return this.#runner.depth > 0 || this.#connection.probeTransaction();
  }

  /** Prepare one statement. */
  prepare<Row = Record<string, SqlValue>>(sql: string): SqlStatement<Row> {
    this.#connection.assertOpen();
    return prepareWasmStatement<Row>(this.#connection, sql);
  }

  /** Run SQL text that may hold several statements. */
  exec(sql: string): void {
    const connection = this.#connection;
    const handle = connection.handle;
    connection.changed();
    try {
      handle.run(sql);
    } catch (error) {
      throw connection.fail(error);
    } finally {
      connection.settled();
    }
  }

  /** Run `fn` in a (nested) transaction; see `SqlDatabase`. */
  transaction<T>(fn: () => T): T {
    this.#connection.assertOpen();
    try {
      return this.#runner.run(fn);
    } finally {
      this.#connection.settled();
    }
  }

  /**
   * Resolves once every transaction committed before the call is in the file (at once for
   * `":memory:"`). Concurrent calls share writes: one in flight, at most one queued.
   */
  flush(): Promise<void> {
    const connection = this.#connection;
    if (!connection.open) return Promise.reject(new DatabaseClosedError(this.location));
    return connection.groupCommit?.flush() ?? Promise.resolve();
  }

  /**
   * Roll back an open transaction, write committed changes that are not in the file yet
   * (synchronously), and free the database. Idempotent. If that last write fails, the database
   * is closed anyway and the error (`ERR_SQL_IO`, `ERR_SQL_FULL`, ...) is thrown.
   */
  close(): void {
    const connection = this.#connection;
    if (!connection.open) return;
    let failure: unknown;
    try {
      if (this.#runner.depth > 0 || connection.probeTransaction()) connection.handle.run("ROLLBACK");
      connection.groupCommit?.closeSync();
    } catch (error) {
      failure = error;
    } finally {
      this.#release();
      connection.closeHandle();
    }
    if (failure !== undefined) throw connection.fail(failure);
  }
}
