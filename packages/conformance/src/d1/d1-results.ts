import { describe, expect, it } from "vitest";
import type { DescribeD1Options } from "./d1-fixture.js";
import { d1Error, expectD1Error } from "./d1-expect.js";
import { useD1TestContext } from "./d1-test-context.js";

const PEOPLE = "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL, age INTEGER)";

/** `all`, `first`, `raw`, `run`: result shapes, duplicate columns, `meta`, several statements in one query. */
export function describeD1Results(options: DescribeD1Options): void {
  describe(options.name, () => {
    describe("results", () => {
      const t = useD1TestContext(options);

      async function seed(): Promise<void> {
        await t.db.exec(PEOPLE);
        await t.db.batch([
          t.db.prepare("INSERT INTO people (name, age) VALUES (?, ?)").bind("ada", 36),
          t.db.prepare("INSERT INTO people (name, age) VALUES (?, ?)").bind("alan", null),
        ]);
      }

      it("all() resolves with success, meta and the rows as objects", async () => {
        await seed();
        const result = await t.db.prepare("SELECT id, name, age FROM people ORDER BY id").all();
        expect(result.success).toBe(true);
        expect(result.meta).toBeTypeOf("object");
        expect(result.results).toEqual([
          { id: 1, name: "ada", age: 36 },
          { id: 2, name: "alan", age: null },
        ]);
      });

      it("first() is the first row or null, first(column) its value or null", async () => {
        await seed();
        expect(await t.db.prepare("SELECT name, age FROM people ORDER BY id").first()).toEqual({ name: "ada", age: 36 });
        expect(await t.db.prepare("SELECT name FROM people ORDER BY id DESC").first("name")).toBe("alan");
        expect(await t.db.prepare("SELECT age FROM people WHERE id = 2").first("age")).toBeNull();
        expect(await t.db.prepare("SELECT * FROM people WHERE id = 99").first()).toBeNull();
        expect(await t.db.prepare("SELECT * FROM people WHERE id = 99").first("missing")).toBeNull();
      });

      it("first(column) for a column the rows lack rejects with D1_COLUMN_NOTFOUND", async () => {
        await seed();
        await expectD1Error(t.db.prepare("SELECT name FROM people").first("nope"), "D1_COLUMN_NOTFOUND: Column not found (nope)");
      });

      it("raw() returns rows as arrays; with columnNames the names come first, even without rows", async () => {
        await seed();
        expect(await t.db.prepare("SELECT id, name FROM people ORDER BY id").raw()).toEqual([
          [1, "ada"],
          [2, "alan"],
        ]);
        expect(await t.db.prepare("SELECT id, name FROM people ORDER BY id").raw({ columnNames: true })).toEqual([
          ["id", "name"],
          [1, "ada"],
          [2, "alan"],
        ]);
        expect(await t.db.prepare("SELECT id, name FROM people WHERE id > 5").raw()).toEqual([]);
        expect(await t.db.prepare("SELECT id, name FROM people WHERE id > 5").raw({ columnNames: true })).toEqual([["id", "name"]]);
      });

      it("with duplicate column names all() keeps the last value and raw() keeps both", async () => {
        const statement = t.db.prepare("SELECT 1 AS a, 2 AS a, 3 AS b");
        expect((await statement.all()).results).toEqual([{ a: 2, b: 3 }]);
        expect(await statement.raw({ columnNames: true })).toEqual([
          ["a", "a", "b"],
          [1, 2, 3],
        ]);
      });

      it("run() resolves with meta and still carries the rows, as local D1 does (Q3)", async () => {
        await seed();
        const select = await t.db.prepare("SELECT name FROM people ORDER BY id").run();
        expect(select.success).toBe(true);
        expect(select.results).toEqual([{ name: "ada" }, { name: "alan" }]);
        const insert = await t.db.prepare("INSERT INTO people (name) VALUES ('grace')").run();
        expect(insert.results).toEqual([]);
        expect(insert.meta["changes"]).toBe(1);
      });

      it("RETURNING rows come back from run() and all()", async () => {
        await t.db.exec(PEOPLE);
        const inserted = await t.db.prepare("INSERT INTO people (name) VALUES (?) RETURNING id, name").bind("ada").run();
        expect(inserted.results).toEqual([{ id: 1, name: "ada" }]);
        const updated = await t.db.prepare("UPDATE people SET age = 1 RETURNING age").all();
        expect(updated.results).toEqual([{ age: 1 }]);
        expect(updated.meta["changes"]).toBe(1);
      });

      it("meta of a write: changes, last_row_id and changed_db", async () => {
        await seed();
        const insert = await t.db.prepare("INSERT INTO people (id, name) VALUES (10, 'grace')").run();
        expect(insert.meta).toMatchObject({ changes: 1, last_row_id: 10, changed_db: true });
        const update = await t.db.prepare("UPDATE people SET age = 1 WHERE id < 10").run();
        expect(update.meta).toMatchObject({ changes: 2, last_row_id: 10, changed_db: true });
        const noop = await t.db.prepare("UPDATE people SET age = 1 WHERE id = 99").run();
        expect(noop.meta).toMatchObject({ changes: 0, changed_db: false });
      });

      it("meta of a read: no changes, changed_db false, last_row_id as it was", async () => {
        await seed();
        const read = await t.db.prepare("SELECT * FROM people").all();
        expect(read.meta).toMatchObject({ changes: 0, changed_db: false, last_row_id: 2 });
      });

      it("meta.changes counts rows changed by triggers too", async () => {
        await t.db.exec(PEOPLE);
        await t.db.exec("CREATE TABLE log (name TEXT)");
        await t.db.exec("CREATE TRIGGER people_log AFTER INSERT ON people BEGIN INSERT INTO log VALUES (new.name); END");
        const insert = await t.db.prepare("INSERT INTO people (name) VALUES ('ada')").run();
        expect(insert.meta["changes"]).toBe(2);
        expect(await t.db.prepare("SELECT name FROM log").raw()).toEqual([["ada"]]);
      });

      it("meta.size_after is the database size in bytes, whole pages, growing with the data", async () => {
        await t.db.exec("CREATE TABLE blobs (data BLOB)");
        const small = (await t.db.prepare("SELECT 1").all()).meta["size_after"] as number;
        expect(Number.isInteger(small)).toBe(true);
        expect(small).toBeGreaterThan(0);
        expect(small % 512).toBe(0);
        const grown = await t.db.prepare("INSERT INTO blobs VALUES (zeroblob(200000))").run();
        // 200,000 bytes of BLOB fill about 49 more 4 KiB pages.
        expect(grown.meta["size_after"]).toBeGreaterThanOrEqual(small + 190_000);
        expect(grown.meta["changed_db"]).toBe(true);
      });

      it("meta has served_by, duration, timings, served_by_primary and total_attempts (Q5), and no served_by_region", async () => {
        const { meta } = await t.db.prepare("SELECT 1").all();
        expect(meta["served_by"]).toBe("miniflare.db");
        expect(meta["duration"]).toBeTypeOf("number");
        expect(meta["duration"]).toBeGreaterThanOrEqual(0);
        expect(meta["timings"]).toEqual({ sql_duration_ms: meta["duration"] });
        expect(meta["served_by_primary"]).toBe(true);
        expect(meta["total_attempts"]).toBe(1);
        expect(meta["served_by_region"]).toBeUndefined();
        expect(meta["rows_read"]).toBeTypeOf("number");
        expect(meta["rows_written"]).toBeTypeOf("number");
      });

      it("rows_read counts rows read and rows_written rows written", async () => {
        await seed();
        expect((await t.db.prepare("SELECT * FROM people").all()).meta["rows_read"]).toBeGreaterThanOrEqual(2);
        expect((await t.db.prepare("INSERT INTO people (name) VALUES ('x')").run()).meta["rows_written"]).toBeGreaterThanOrEqual(1);
      });

      it("several statements in one query all run, and the result is the last one's", async () => {
        await t.db.exec(PEOPLE);
        const result = await t.db
          .prepare("INSERT INTO people (name) VALUES ('a'); INSERT INTO people (name) VALUES ('b'); SELECT count(*) AS n FROM people")
          .all();
        expect(result.results).toEqual([{ n: 2 }]);
        expect(result.meta["changes"]).toBe(2);
      });

      it("values bind to the last statement of a query; an earlier one with parameters is refused", async () => {
        await t.db.exec(PEOPLE);
        expect((await t.db.prepare("INSERT INTO people (name) VALUES ('a'); SELECT ? AS x").bind(5).all()).results).toEqual([{ x: 5 }]);
        await expectD1Error(
          t.db.prepare("SELECT ? AS x; SELECT 1").bind(1).all(),
          d1Error("When executing multiple SQL statements in a single call, only the last statement can have parameters."),
        );
      });

      it("a prepared statement can be bound again with other values and reused", async () => {
        await t.db.exec(PEOPLE);
        const insert = t.db.prepare("INSERT INTO people (name, age) VALUES (?, ?)");
        await insert.bind("a", 1).run();
        await insert.bind("b", 2).run();
        const byAge = t.db.prepare("SELECT name FROM people WHERE age = ?");
        expect(await byAge.bind(2).first("name")).toBe("b");
        expect(await byAge.bind(1).first("name")).toBe("a");
        await expectD1Error(byAge.first(), d1Error("Wrong number of parameter bindings for SQL query."));
      });
    });
  });
}
