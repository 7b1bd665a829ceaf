import { describe, expect, it } from "vitest";
import { caught, useDurableObjectFixture } from "./durable-objects-context.js";
import type { DescribeDurableObjectStorageOptions } from "./durable-objects-fixture.js";

const TRANSACTION_MESSAGE = /^To execute a transaction, please use the state\.storage\.transaction\(\)/;

/** `ctx.storage.sql`: cursors, bindings, the runtime's rules and messages (spec §1, §2; checked against workerd). */
export function describeDurableObjectSql(options: DescribeDurableObjectStorageOptions): void {
  describe(`durable objects ${options.name} sql`, () => {
    const fresh = useDurableObjectFixture(options);

    it("runs eagerly and returns the last statement's cursor", async () => {
      const { storage } = await fresh();
      const unread = storage.sql.exec("CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT); INSERT INTO t (b) VALUES ('x')");
      expect(unread.columnNames).toEqual([]);
      storage.sql.exec("INSERT INTO t (b) VALUES (?), (?)", "y", "z");
      const cursor = storage.sql.exec("SELECT a, b FROM t ORDER BY a");
      expect(cursor.columnNames).toEqual(["a", "b"]);
      expect(cursor.toArray()).toEqual([{ a: 1, b: "x" }, { a: 2, b: "y" }, { a: 3, b: "z" }]);
      expect([...storage.sql.exec("SELECT b FROM t WHERE a = 1").raw()]).toEqual([["x"]]);
      expect([...storage.sql.exec("SELECT b FROM t WHERE a > 1")]).toEqual([{ b: "y" }, { b: "z" }]);
      expect(storage.sql.exec("SELECT 1 AS a; SELECT 2 AS b").toArray()).toEqual([{ b: 2 }]);
    });

    it("binds as workerd does: booleans as text, buffers as BLOBs returned as ArrayBuffer, named and numbered by index", async () => {
      const { storage } = await fresh();
      expect(storage.sql.exec("SELECT ? AS v, typeof(?) AS t", true, true).one()).toEqual({ v: "true", t: "text" });
      const blob = storage.sql.exec("SELECT ? AS v", new Uint8Array([1, 2])).one().v;
      expect(blob).toBeInstanceOf(ArrayBuffer);
      expect([...new Uint8Array(blob as ArrayBuffer)]).toEqual([1, 2]);
      expect(storage.sql.exec("SELECT :a AS a, :b AS b, :a AS c", 1, 2).one()).toEqual({ a: 1, b: 2, c: 1 });
      expect(storage.sql.exec("SELECT ?2 AS a, ?1 AS b", 1, 2).one()).toEqual({ a: 2, b: 1 });
      expect(storage.sql.exec("SELECT ? AS n", null).one()).toEqual({ n: null });
      const bigint = await caught(() => storage.sql.exec("SELECT ?", 1n));
      expect(bigint).toBeInstanceOf(TypeError);
      expect(bigint.message).toBe("Cannot convert a BigInt value to a number");
    });

    it("gives the runtime's messages for cursor and binding misuse", async () => {
      const { storage } = await fresh();
      expect((await caught(() => storage.sql.exec("SELECT 1 WHERE 0").one())).message).toBe("Expected exactly one result from SQL query, but got no results.");
      expect((await caught(() => storage.sql.exec("VALUES (1), (2)").one())).message).toBe("Expected exactly one result from SQL query, but got multiple results.");
      expect((await caught(() => storage.sql.exec("SELECT ?", 1, 2))).message).toBe("Wrong number of parameter bindings for SQL query.");
      expect((await caught(() => storage.sql.exec("SELECT ?; SELECT 1", 1))).message).toBe("When executing multiple SQL statements in a single call, only the last statement can have parameters.");
      expect((await caught(() => storage.sql.exec(""))).message).toBe("SQL code did not contain a statement.");
    });

    it("formats SQLite errors as workerd does", async () => {
      const { storage } = await fresh();
      storage.sql.exec("CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT UNIQUE)");
      storage.sql.exec("INSERT INTO t (b) VALUES ('x')");
      expect((await caught(() => storage.sql.exec("SELEC 1"))).message).toBe('near "SELEC": syntax error at offset 0: SQLITE_ERROR');
      expect((await caught(() => storage.sql.exec("SELECT * FROM nope"))).message).toBe("no such table: nope: SQLITE_ERROR");
      expect((await caught(() => storage.sql.exec("SELECT nope FROM t"))).message).toBe("no such column: nope at offset 7: SQLITE_ERROR");
      expect((await caught(() => storage.sql.exec("INSERT INTO t (b) VALUES ('x')"))).message).toBe("UNIQUE constraint failed: t.b: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_UNIQUE)");
      expect((await caught(() => storage.sql.exec(`SELECT '${"x".repeat(100_001)}'`))).message).toBe("statement too long: SQLITE_TOOBIG");
      expect((await caught(() => storage.sql.exec(`SELECT ${Array(101).fill("?").join(",")}`, ...Array(101).fill(1)))).message).toBe("too many SQL variables at offset 207: SQLITE_ERROR");
    });

    it("refuses transaction statements, ATTACH, TEMP, PRAGMAs off the list and other virtual tables", async () => {
      const { storage } = await fresh();
      for (const sql of ["BEGIN", "COMMIT", "SAVEPOINT x", "RELEASE x", "ROLLBACK"]) expect((await caught(() => storage.sql.exec(sql))).message).toMatch(TRANSACTION_MESSAGE);
      for (const sql of ["ATTACH 'x' AS y", "CREATE TEMP TABLE z (a)", "PRAGMA journal_mode", "PRAGMA page_size = 8192", "CREATE VIRTUAL TABLE v USING fts4(a)"]) {
        expect((await caught(() => storage.sql.exec(sql))).message).toBe("not authorized: SQLITE_AUTH");
      }
      storage.sql.exec("CREATE TABLE t (a)");
      expect(storage.sql.exec("PRAGMA table_info(t)").toArray()).toHaveLength(1);
    });

    it("protects _cf_ names case-insensitively (O8) yet lists _cf_KV in sqlite_master", async () => {
      const { storage } = await fresh();
      storage.kv.put("k", 1);
      for (const sql of ["CREATE TABLE _cf_x (a)", "CREATE TABLE _CF_y (a)", "INSERT INTO _cf_KV VALUES ('a', 'b')", "DELETE FROM _cf_KV", "DROP TABLE _cf_KV"]) {
        expect((await caught(() => storage.sql.exec(sql))).message).toBe("not authorized: SQLITE_AUTH");
      }
      expect((await caught(() => storage.sql.exec("SELECT * FROM _cf_KV"))).message).toBe("access to _cf_KV.key is prohibited: SQLITE_AUTH");
      expect((await caught(() => storage.sql.exec("SELECT value FROM _cf_KV"))).message).toBe("access to _cf_KV.value is prohibited: SQLITE_AUTH");
      expect(storage.sql.exec("SELECT name FROM sqlite_master WHERE name = '_cf_KV'").toArray()).toEqual([{ name: "_cf_KV" }]);
      expect(storage.kv.get("k")).toBe(1);
    });

    it("counts rows and database size as workerd does for schema and reads", async () => {
      const { storage } = await fresh();
      const create = storage.sql.exec("CREATE TABLE t (a)");
      expect([create.rowsRead, create.rowsWritten]).toEqual([1, 2]);
      const insert = storage.sql.exec("INSERT INTO t VALUES (1), (2)");
      expect(insert.rowsWritten).toBe(2);
      const select = storage.sql.exec("SELECT * FROM t");
      select.toArray();
      expect(select.rowsRead).toBe(2);
      expect(storage.sql.databaseSize % 4096).toBe(0);
      expect(storage.sql.databaseSize).toBeGreaterThan(0);
    });

    it("shares the implicit transaction with KV writes and keeps SQL errors non-fatal", async () => {
      const { storage } = await fresh();
      storage.sql.exec("CREATE TABLE t (a)");
      void storage.put("k", 1);
      await caught(() => storage.sql.exec("SELEC"));
      storage.sql.exec("INSERT INTO t VALUES (1)");
      await storage.sync();
      expect(await storage.get("k")).toBe(1);
      expect(storage.sql.exec("SELECT count(*) AS n FROM t").one().n).toBe(1);
    });
  });
}
