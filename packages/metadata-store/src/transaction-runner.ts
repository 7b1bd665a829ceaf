import { SqlError } from "./errors.js";

/** What a {@link TransactionRunner} needs from a driver's connection. */
export interface TransactionHost {
  /**
   * Run one transaction-control statement (`BEGIN IMMEDIATE`, `COMMIT`, `ROLLBACK`,
   * `SAVEPOINT x`, `RELEASE x`, `ROLLBACK TO x`), throwing a `SqlError` on failure. Drivers may
   * cache prepared statements per text: the set of texts is small and fixed.
   */
  control(sql: string): void;
  /** True while SQLite has a transaction open on the connection (autocommit is off), whoever began it. */
  readonly inTransaction: boolean;
}

/**
 * Implements `SqlDatabase.transaction(fn)` once for every driver, so nesting, rollback and the
 * promise check behave the same whatever the engine.
 *
 * - The outermost level runs `BEGIN IMMEDIATE` ... `COMMIT`. IMMEDIATE takes the write lock up
 *   front, so a second connection waits in its busy handler instead of failing halfway through
 *   (a deferred transaction that upgrades from read to write cannot wait: SQLITE_BUSY at once).
 * - Inner levels, and any level while a transaction begun elsewhere (`exec("BEGIN")`) is open,
 *   use `SAVEPOINT cellar_<depth>` ... `RELEASE`; a throw runs `ROLLBACK TO` + `RELEASE`, which
 *   undoes only that level and leaves the enclosing transaction open.
 * - If `fn` throws, its level is rolled back and the error rethrown unchanged.
 * - If `fn` returns a thenable, its level is rolled back and `ERR_SQL_MISUSE` thrown: the
 *   awaited part would otherwise run after the commit, outside the transaction.
 * - If the `COMMIT` (or `RELEASE`) itself fails (a deferred foreign key, a full disk), the level
 *   is rolled back so the connection is never left inside a half-finished transaction.
 */
export class TransactionRunner {
  readonly #host: TransactionHost;
  #depth = 0;

  constructor(host: TransactionHost) {
    this.#host = host;
  }

  /** How many `run` calls are currently active on this connection (0 outside any). */
  get depth(): number {
    return this.#depth;
  }

  /** Run `fn` in a transaction or savepoint, as described on the class. */
  run<T>(fn: () => T): T {
    const host = this.#host;
    const savepoint = this.#depth === 0 && !host.inTransaction ? undefined : `cellar_${this.#depth + 1}`;
    host.control(savepoint === undefined ? "BEGIN IMMEDIATE" : `SAVEPOINT ${savepoint}`);
    this.#depth++;
    try {
      let result: T;
      try {
        result = fn();
      } catch (error) {
        this.#rollback(savepoint);
        throw error;
      }
      if (isThenable(result)) {
        this.#rollback(savepoint);
        throw new SqlError("ERR_SQL_MISUSE", "Transaction function cannot return a promise");
      }
      try {
        host.control(savepoint === undefined ? "COMMIT" : `RELEASE ${savepoint}`);
      } catch (error) {
        this.#rollback(savepoint);
        throw error;
      }
      return result;
    } finally {
      this.#depth--;
    }
  }

  #rollback(savepoint: string | undefined): void {
    const host = this.#host;
    // SQLite rolls the whole transaction back by itself after some errors (SQLITE_FULL,
    // SQLITE_IOERR, ON CONFLICT ROLLBACK); then there is nothing left to undo and the savepoint
    // no longer exists, so only act while a transaction is still open.
    if (!host.inTransaction) return;
    try {
      if (savepoint === undefined) {
        host.control("ROLLBACK");
      } else {
        host.control(`ROLLBACK TO ${savepoint}`);
        host.control(`RELEASE ${savepoint}`);
      }
    } catch {
      // The caller is already propagating the error that caused the rollback; that one says
      // what went wrong. A failed ROLLBACK leaves SQLite to discard the work when it can.
    }
  }
}

/** True for promises and other thenables (what `await` would wait for). */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === "object" || typeof value === "function") &&
    typeof (value as { then?: unknown }).then === "function"
  );
}
