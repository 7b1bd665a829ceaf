import { describe, expect, it } from "vitest";
import { SqlError } from "../src/errors.js";
import { TransactionRunner, isThenable, type TransactionHost } from "../src/transaction-runner.js";

/** Records the control statements and tracks SQLite's autocommit state the way SQLite would. */
class FakeHost implements TransactionHost {
  readonly log: string[] = [];
  open = false;
  savepoints: string[] = [];
  failOn: string | undefined;

  get inTransaction(): boolean {
    return this.open;
  }

  control(sql: string): void {
    this.log.push(sql);
    if (sql === this.failOn) throw new SqlError("ERR_SQL_CONSTRAINT", `failed: ${sql}`);
    if (sql === "BEGIN IMMEDIATE") this.open = true;
    else if (sql === "COMMIT" || sql === "ROLLBACK") {
      this.open = false;
      this.savepoints = [];
    } else if (sql.startsWith("SAVEPOINT ")) {
      // A savepoint outside a transaction starts one, as in SQLite.
      this.savepoints.push(sql.slice(10));
      this.open = true;
    } else if (sql.startsWith("RELEASE ")) {
      this.savepoints = this.savepoints.slice(0, this.savepoints.indexOf(sql.slice(8)));
    }
  }
}

describe("TransactionRunner", () => {
  it("wraps the outermost level in BEGIN IMMEDIATE / COMMIT and returns fn's value", () => {
    const host = new FakeHost();
    const runner = new TransactionRunner(host);
    expect(runner.run(() => 7)).toBe(7);
    expect(host.log).toEqual(["BEGIN IMMEDIATE", "COMMIT"]);
    expect(runner.depth).toBe(0);
  });

  it("uses numbered savepoints for nested levels", () => {
    const host = new FakeHost();
    const runner = new TransactionRunner(host);
    runner.run(() => runner.run(() => runner.run(() => expect(runner.depth).toBe(3))));
    expect(host.log).toEqual(["BEGIN IMMEDIATE", "SAVEPOINT cellar_2", "SAVEPOINT cellar_3", "RELEASE cellar_3", "RELEASE cellar_2", "COMMIT"]);
  });

  it("rolls back only the failing level and rethrows the same error", () => {
    const host = new FakeHost();
    const runner = new TransactionRunner(host);
    const boom = new Error("boom");
    runner.run(() => {
      expect(() =>
        runner.run(() => {
          throw boom;
        }),
      ).toThrow(boom);
    });
    expect(host.log).toEqual(["BEGIN IMMEDIATE", "SAVEPOINT cellar_2", "ROLLBACK TO cellar_2", "RELEASE cellar_2", "COMMIT"]);
    host.log.length = 0;
    expect(() =>
      runner.run(() => {
        throw boom;
      }),
    ).toThrow(boom);
    expect(host.log).toEqual(["BEGIN IMMEDIATE", "ROLLBACK"]);
    expect(runner.depth).toBe(0);
  });

  it("uses a savepoint when a transaction was begun outside the runner", () => {
    const host = new FakeHost();
    host.open = true;
    const runner = new TransactionRunner(host);
    runner.run(() => undefined);
    expect(host.log).toEqual(["SAVEPOINT cellar_1", "RELEASE cellar_1"]);
  });

  it("rolls back and throws ERR_SQL_MISUSE when fn returns a thenable", () => {
    const host = new FakeHost();
    const runner = new TransactionRunner(host);
    let error: unknown;
    try {
      runner.run(() => ({ then: () => undefined }));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SqlError);
    expect((error as SqlError).code).toBe("ERR_SQL_MISUSE");
    expect((error as Error).message).toBe("Transaction function cannot return a promise");
    expect(host.log).toEqual(["BEGIN IMMEDIATE", "ROLLBACK"]);
  });

  it("rolls back when COMMIT fails, and throws the COMMIT error", () => {
    const host = new FakeHost();
    host.failOn = "COMMIT";
    const runner = new TransactionRunner(host);
    expect(() => runner.run(() => 1)).toThrow("failed: COMMIT");
    expect(host.log).toEqual(["BEGIN IMMEDIATE", "COMMIT", "ROLLBACK"]);
    expect(host.open).toBe(false);
    expect(runner.depth).toBe(0);
  });

  it("does not roll back what SQLite already rolled back, and keeps the original error", () => {
    const host = new FakeHost();
    const runner = new TransactionRunner(host);
    const original = new Error("disk full");
    expect(() =>
      runner.run(() => {
        host.open = false; // as after SQLITE_FULL
        throw original;
      }),
    ).toThrow(original);
    expect(host.log).toEqual(["BEGIN IMMEDIATE"]);
  });

  it("keeps the original error when the rollback itself fails", () => {
    const host = new FakeHost();
    host.failOn = "ROLLBACK";
    const runner = new TransactionRunner(host);
    const original = new Error("original");
    expect(() =>
      runner.run(() => {
        throw original;
      }),
    ).toThrow(original);
  });

  it("does not start when BEGIN fails", () => {
    const host = new FakeHost();
    host.failOn = "BEGIN IMMEDIATE";
    const runner = new TransactionRunner(host);
    let ran = false;
    expect(() => runner.run(() => (ran = true))).toThrow("failed: BEGIN IMMEDIATE");
    expect(ran).toBe(false);
    expect(runner.depth).toBe(0);
  });
});

describe("isThenable", () => {
  it("recognises promises and thenables only", () => {
    expect(isThenable(Promise.resolve())).toBe(true);
    expect(isThenable({ then() {} })).toBe(true);
    expect(isThenable(Object.assign(() => undefined, { then() {} }))).toBe(true);
    for (const value of [null, undefined, 1, "then", {}, { then: 1 }]) expect(isThenable(value)).toBe(false);
  });
});
