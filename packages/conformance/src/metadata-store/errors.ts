import { describe, expect, it } from "vitest";
import { ConstraintError, DatabaseClosedError, SqlError, type SqlDatabase, type SqlValue } from "@cellar/metadata-store";
import { rejectionOf, thrownBy, useFixture, type DescribeMetadataStoreOptions } from "./fixture.js";

/** Assert `error` is a `SqlError` with these fields (only the ones given). */
function expectSqlError(error: unknown, expected: { code: string; sqliteCode?: string; message?: string | RegExp }): void {
  expect(error).toBeInstanceOf(SqlError);
  const sqlError = error as SqlError;
  expect({ code: sqlError.code, sqliteCode: sqlError.sqliteCode }).toMatchObject({
    code: expected.code,
    ...(expected.sqliteCode === undefined ? {} : { sqliteCode: expected.sqliteCode }),
  });
  if (typeof expected.message === "string") expect(sqlError.message).toBe(expected.message);
  else if (expected.message !== undefined) expect(sqlError.message).toMatch(expected.message);
}

const ACCOUNTS = `CREATE TABLE accounts (
  id INTEGER PRIMARY KEY,
  email TEXT UNIQUE,
  name TEXT NOT NULL,
  balance INTEGER NOT NULL DEFAULT 0 CONSTRAINT non_negative CHECK (balance >= 0)
)`;

function insert(db: SqlDatabase, sql: string, ...params: SqlValue[]): unknown {
  return thrownBy(() => db.prepare(sql).run(...params));
}

/** Error classes, codes, `sqliteCode` and SQLite's verbatim messages; misuse; calls after `close()`. */
export function describeMetadataStoreErrors(options: DescribeMetadataStoreOptions): void {
  describe(`${options.name}: errors`, () => {
    const t = useFixture(options.create);

    it("a syntax error is ERR_SQL with sqliteCode SQLITE_ERROR and SQLite's message", () => {
      const db = t.open();
      expectSqlError(
        thrownBy(() => db.prepare("SELEC 1")),
        { code: "ERR_SQL", sqliteCode: "SQLITE_ERROR", message: 'near "SELEC": syntax error' },
      );
      expectSqlError(
        thrownBy(() => db.exec("CREATE TABLE (x)")),
        { code: "ERR_SQL", sqliteCode: "SQLITE_ERROR", message: /syntax error/ },
      );
    });

    it("a missing table or column is ERR_SQL with sqliteCode SQLITE_ERROR", () => {
      const db = t.open();
      expectSqlError(
        thrownBy(() => db.prepare("SELECT * FROM nope")),
        { code: "ERR_SQL", sqliteCode: "SQLITE_ERROR", message: "no such table: nope" },
      );
      db.exec("CREATE TABLE t (a)");
      expectSqlError(
        thrownBy(() => db.prepare("SELECT b FROM t")),
        { code: "ERR_SQL", sqliteCode: "SQLITE_ERROR", message: "no such column: b" },
      );
    });

    it("a UNIQUE violation is a ConstraintError with SQLITE_CONSTRAINT_UNIQUE and SQLite's message", () => {
      const db = t.open();
      db.exec(ACCOUNTS);
      db.prepare("INSERT INTO accounts (email, name) VALUES ('a@x', 'a')").run();
      const error = insert(db, "INSERT INTO accounts (email, name) VALUES ('a@x', 'b')");
      expect(error).toBeInstanceOf(ConstraintError);
      expectSqlError(error, {
        code: "ERR_SQL_CONSTRAINT",
        sqliteCode: "SQLITE_CONSTRAINT_UNIQUE",
        message: "UNIQUE constraint failed: accounts.email",
      });
    });

    it("a PRIMARY KEY violation is SQLITE_CONSTRAINT_PRIMARYKEY with SQLite's message", () => {
      const db = t.open();
      db.exec(`${ACCOUNTS}; CREATE TABLE pairs (a TEXT, b TEXT, PRIMARY KEY (a, b)) WITHOUT ROWID;`);
      db.prepare("INSERT INTO accounts (id, name) VALUES (1, 'a')").run();
      expectSqlError(insert(db, "INSERT INTO accounts (id, name) VALUES (1, 'b')"), {
        code: "ERR_SQL_CONSTRAINT",
        sqliteCode: "SQLITE_CONSTRAINT_PRIMARYKEY",
        message: "UNIQUE constraint failed: accounts.id",
      });
      db.prepare("INSERT INTO pairs VALUES ('x', 'y')").run();
      expectSqlError(insert(db, "INSERT INTO pairs VALUES ('x', 'y')"), {
        code: "ERR_SQL_CONSTRAINT",
        sqliteCode: "SQLITE_CONSTRAINT_PRIMARYKEY",
        message: "UNIQUE constraint failed: pairs.a, pairs.b",
      });
    });

    it("a NOT NULL violation is SQLITE_CONSTRAINT_NOTNULL with SQLite's message", () => {
      const db = t.open();
      db.exec(ACCOUNTS);
      expectSqlError(insert(db, "INSERT INTO accounts (name) VALUES (?)", null), {
        code: "ERR_SQL_CONSTRAINT",
        sqliteCode: "SQLITE_CONSTRAINT_NOTNULL",
        message: "NOT NULL constraint failed: accounts.name",
      });
    });

    it("a CHECK violation is SQLITE_CONSTRAINT_CHECK with SQLite's message", () => {
      const db = t.open();
      db.exec(ACCOUNTS);
      expectSqlError(insert(db, "INSERT INTO accounts (name, balance) VALUES ('a', -5)"), {
        code: "ERR_SQL_CONSTRAINT",
        sqliteCode: "SQLITE_CONSTRAINT_CHECK",
        message: "CHECK constraint failed: non_negative",
      });
    });

    it("foreign keys are enforced: a violation is SQLITE_CONSTRAINT_FOREIGNKEY", () => {
      const db = t.open();
      db.exec("CREATE TABLE parent (id INTEGER PRIMARY KEY); CREATE TABLE child (parent_id INTEGER REFERENCES parent (id));");
      expect(db.prepare("PRAGMA foreign_keys").raw().get()).toEqual([1]);
      expectSqlError(insert(db, "INSERT INTO child VALUES (1)"), {
        code: "ERR_SQL_CONSTRAINT",
        sqliteCode: "SQLITE_CONSTRAINT_FOREIGNKEY",
        message: "FOREIGN KEY constraint failed",
      });
    });

    it("a failed statement changes nothing, even when it had written some rows", () => {
      const db = t.open();
      db.exec(ACCOUNTS);
      db.prepare("INSERT INTO accounts (id, name) VALUES (3, 'c')").run();
      const error = insert(db, "INSERT INTO accounts (id, name) VALUES (1, 'a'), (2, 'b'), (3, 'dup')");
      expect((error as SqlError).code).toBe("ERR_SQL_CONSTRAINT");
      expect(db.prepare("SELECT id FROM accounts").raw().all()).toEqual([[3]]);
    });

    it("errors are thrown from exec() and from get()/all() as well", () => {
      const db = t.open();
      db.exec(ACCOUNTS);
      db.exec("INSERT INTO accounts (id, name) VALUES (1, 'a')");
      expectSqlError(
        thrownBy(() => db.exec("INSERT INTO accounts (id, name) VALUES (1, 'b')")),
        { code: "ERR_SQL_CONSTRAINT", sqliteCode: "SQLITE_CONSTRAINT_PRIMARYKEY" },
      );
      const returning = db.prepare("INSERT INTO accounts (id, name) VALUES (?, 'b') RETURNING id");
      expectSqlError(thrownBy(() => returning.get(1)), { code: "ERR_SQL_CONSTRAINT" });
      expectSqlError(thrownBy(() => returning.all(1)), { code: "ERR_SQL_CONSTRAINT" });
      expect(returning.get(2)).toEqual({ id: 2 });
    });

    it("wrong parameter counts are ERR_SQL_RANGE", () => {
      const db = t.open();
      const two = db.prepare("SELECT ? AS a, ? AS b");
      expectSqlError(thrownBy(() => two.get(1)), { code: "ERR_SQL_RANGE" });
      expectSqlError(thrownBy(() => two.get(1, 2, 3)), { code: "ERR_SQL_RANGE" });
      const named = db.prepare("SELECT :a AS a, :b AS b");
      expectSqlError(thrownBy(() => named.get({ a: 1 })), { code: "ERR_SQL_RANGE" });
      expectSqlError(thrownBy(() => named.get(1, 2)), { code: "ERR_SQL_RANGE" });
      expect(two.get(1, 2)).toEqual({ a: 1, b: 2 });
    });

    it("prepare() with more than one statement is ERR_SQL_MISUSE", () => {
      const db = t.open();
      expectSqlError(
        thrownBy(() => db.prepare("SELECT 1; SELECT 2")),
        { code: "ERR_SQL_MISUSE", message: "The supplied SQL string contains more than one statement" },
      );
      db.exec("CREATE TABLE t (a)");
      expectSqlError(thrownBy(() => db.prepare("INSERT INTO t VALUES (1); DROP TABLE t")), { code: "ERR_SQL_MISUSE" });
      expect(db.prepare("SELECT count(*) AS n FROM t").get()).toEqual({ n: 0 });
    });

    it("prepare() with no statement is ERR_SQL_MISUSE", () => {
      const db = t.open();
      expectSqlError(thrownBy(() => db.prepare("")), { code: "ERR_SQL_MISUSE" });
      expectSqlError(thrownBy(() => db.prepare("  -- nothing here")), { code: "ERR_SQL_MISUSE" });
    });

    it("get()/all()/iterate() on a statement that returns no rows is ERR_SQL_MISUSE", () => {
      const db = t.open();
      db.exec("CREATE TABLE t (a)");
      const write = db.prepare("INSERT INTO t VALUES (1)");
      expectSqlError(thrownBy(() => write.get()), { code: "ERR_SQL_MISUSE" });
      expectSqlError(thrownBy(() => write.all()), { code: "ERR_SQL_MISUSE" });
      expectSqlError(thrownBy(() => write.iterate()), { code: "ERR_SQL_MISUSE" });
      expect(db.prepare("SELECT count(*) AS n FROM t").get()).toEqual({ n: 0 });
    });

    it("binding a value SQLite cannot store is ERR_SQL_MISUSE", () => {
      const db = t.open();
      const statement = db.prepare("SELECT ? AS x");
      expectSqlError(thrownBy(() => statement.get(Symbol("x") as unknown as SqlValue)), { code: "ERR_SQL_MISUSE" });
      expectSqlError(thrownBy(() => statement.get((() => 1) as unknown as SqlValue)), { code: "ERR_SQL_MISUSE" });
    });

    it("every call after close() throws DatabaseClosedError (ERR_SQL_CLOSED), and flush() rejects with it", async () => {
      const db = t.open();
      db.exec("CREATE TABLE t (a)");
      const write = db.prepare("INSERT INTO t VALUES (?)");
      const read = db.prepare("SELECT a FROM t");
      db.close();
      expect(db.open).toBe(false);
      const calls: [string, () => unknown][] = [
        ["prepare", () => db.prepare("SELECT 1")],
        ["exec", () => db.exec("SELECT 1")],
        ["run", () => write.run(1)],
        ["get", () => read.get()],
        ["all", () => read.all()],
        ["iterate", () => [...read.iterate()]],
        ["transaction", () => db.transaction(() => 1)],
      ];
      for (const [name, call] of calls) {
        const error = thrownBy(call);
        expect(error, name).toBeInstanceOf(DatabaseClosedError);
        expect((error as SqlError).code, name).toBe("ERR_SQL_CLOSED");
      }
      const flushed = await rejectionOf(db.flush());
      expect(flushed).toBeInstanceOf(DatabaseClosedError);
      expect((flushed as SqlError).code).toBe("ERR_SQL_CLOSED");
    });

    it("closing while iterating ends the iteration with DatabaseClosedError", () => {
      const db = t.open();
      db.exec("CREATE TABLE t (a); INSERT INTO t VALUES (1), (2), (3);");
      const iterator = db.prepare("SELECT a FROM t").iterate();
      expect(iterator.next().value).toEqual({ a: 1 });
      db.close();
      const error = thrownBy(() => iterator.next());
      expect((error as SqlError).code).toBe("ERR_SQL_CLOSED");
    });
  });
}
