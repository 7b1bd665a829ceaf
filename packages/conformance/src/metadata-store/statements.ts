import { describe, expect, it } from "vitest";
import { useFixture, type DescribeMetadataStoreOptions } from "./fixture.js";

const PEOPLE = "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL, age INTEGER)";

/** `prepare`, `run`/`get`/`all`/`iterate`, `columns`, `raw`, `reader`, `source`, parameters and `exec`. */
export function describeMetadataStoreStatements(options: DescribeMetadataStoreOptions): void {
  describe(`${options.name}: statements`, () => {
    const t = useFixture(options.create);

    it("run() reports changes and lastInsertRowid", () => {
      const db = t.open();
      db.exec(PEOPLE);
      const insert = db.prepare("INSERT INTO people (name, age) VALUES (?, ?)");
      expect(insert.run("ada", 36)).toEqual({ changes: 1, lastInsertRowid: 1 });
      expect(insert.run("alan", 41)).toEqual({ changes: 1, lastInsertRowid: 2 });
      expect(db.prepare("INSERT INTO people (id, name) VALUES (10, 'x'), (11, 'y'), (12, 'z')").run()).toEqual({
        changes: 3,
        lastInsertRowid: 12,
      });
      expect(db.prepare("UPDATE people SET age = 1 WHERE id >= 10").run().changes).toBe(3);
      expect(db.prepare("DELETE FROM people WHERE id = 11").run().changes).toBe(1);
    });

    it("run() reports 0 changes for statements that change no rows", () => {
      const db = t.open();
      db.exec(PEOPLE);
      db.prepare("INSERT INTO people (name) VALUES ('ada'), ('alan')").run();
      expect(db.prepare("UPDATE people SET age = 1 WHERE id = 999").run().changes).toBe(0);
      expect(db.prepare("DELETE FROM people WHERE id = 999").run().changes).toBe(0);
      expect(db.prepare("CREATE TABLE other (x)").run().changes).toBe(0);
      expect(db.prepare("SELECT * FROM people").run().changes).toBe(0);
    });

    it("run() counts only the statement's own rows, not rows changed by triggers", () => {
      const db = t.open();
      db.exec(`${PEOPLE}; CREATE TABLE log (what TEXT);
        CREATE TRIGGER logged AFTER INSERT ON people BEGIN INSERT INTO log VALUES ('a'), ('b'); END;`);
      expect(db.prepare("INSERT INTO people (name) VALUES ('ada')").run().changes).toBe(1);
      expect(db.prepare<{ n: number }>("SELECT count(*) AS n FROM log").get()).toEqual({ n: 2 });
    });

    it("get() returns the first row, or undefined when there is none", () => {
      const db = t.open();
      db.exec(PEOPLE);
      db.prepare("INSERT INTO people (name, age) VALUES ('ada', 36), ('alan', 41)").run();
      const byAge = db.prepare("SELECT name, age FROM people WHERE age > ? ORDER BY age");
      expect(byAge.get(30)).toEqual({ name: "ada", age: 36 });
      expect(byAge.get(40)).toEqual({ name: "alan", age: 41 });
      expect(byAge.get(50)).toBeUndefined();
    });

    it("all() returns every row in order, and an empty array when there is none", () => {
      const db = t.open();
      db.exec(PEOPLE);
      const insert = db.prepare("INSERT INTO people (name) VALUES (?)");
      for (const name of ["c", "a", "b"]) insert.run(name);
      const names = db.prepare("SELECT id, name FROM people ORDER BY name");
      expect(names.all()).toEqual([
        { id: 2, name: "a" },
        { id: 3, name: "b" },
        { id: 1, name: "c" },
      ]);
      expect(db.prepare("SELECT * FROM people WHERE id < 0").all()).toEqual([]);
    });

    it("iterate() yields rows one at a time and can stop early", () => {
      const db = t.open();
      db.exec(PEOPLE);
      const insert = db.prepare("INSERT INTO people (name) VALUES (?)");
      for (let i = 0; i < 5; i++) insert.run(`p${i}`);
      const select = db.prepare<{ name: string }>("SELECT name FROM people ORDER BY id");
      const all: string[] = [];
      for (const row of select.iterate()) all.push(row.name);
      expect(all).toEqual(["p0", "p1", "p2", "p3", "p4"]);
      const some: string[] = [];
      for (const row of select.iterate()) {
        some.push(row.name);
        if (some.length === 2) break;
      }
      expect(some).toEqual(["p0", "p1"]);
      // Breaking out released the statement: it runs again from the start.
      expect(select.get()).toEqual({ name: "p0" });
      const iterator = select.iterate();
      expect(iterator.next()).toEqual({ done: false, value: { name: "p0" } });
      iterator.return?.();
      expect(select.all()).toHaveLength(5);
    });

    it("iterate() with parameters and raw() yields arrays", () => {
      const db = t.open();
      db.exec(PEOPLE);
      db.prepare("INSERT INTO people (name, age) VALUES ('a', 1), ('b', 2), ('c', 3)").run();
      const rows = [...db.prepare("SELECT name, age FROM people WHERE age >= ? ORDER BY age").raw().iterate(2)];
      expect(rows).toEqual([
        ["b", 2],
        ["c", 3],
      ]);
    });

    it("columns() lists result column names in order, and is empty for statements without rows", () => {
      const db = t.open();
      db.exec(PEOPLE);
      expect(db.prepare("SELECT id, name AS who, age + 1 FROM people").columns().map((c) => c.name)).toEqual([
        "id",
        "who",
        "age + 1",
      ]);
      expect(db.prepare("INSERT INTO people (name) VALUES ('x')").columns()).toEqual([]);
      expect(db.prepare("INSERT INTO people (name) VALUES ('x') RETURNING id").columns().map((c) => c.name)).toEqual([
        "id",
      ]);
    });

    it("raw() returns rows as arrays, keeping duplicate column names; raw(false) switches back", () => {
      const db = t.open();
      const statement = db.prepare("SELECT 1 AS a, 2 AS a, 'x' AS b");
      expect(statement.raw()).toBe(statement);
      expect(statement.get()).toEqual([1, 2, "x"]);
      expect(statement.all()).toEqual([[1, 2, "x"]]);
      statement.raw(false);
      expect(statement.get()).toEqual({ a: 2, b: "x" });
    });

    it("reader is true for statements that return rows (SELECT, RETURNING, PRAGMA reads)", () => {
      const db = t.open();
      db.exec(PEOPLE);
      expect(db.prepare("SELECT 1").reader).toBe(true);
      expect(db.prepare("INSERT INTO people (name) VALUES ('x') RETURNING id").reader).toBe(true);
      expect(db.prepare("PRAGMA user_version").reader).toBe(true);
      expect(db.prepare("INSERT INTO people (name) VALUES ('x')").reader).toBe(false);
      expect(db.prepare("CREATE TABLE t2 (x)").reader).toBe(false);
      expect(db.prepare("PRAGMA user_version = 3").reader).toBe(false);
    });

    it("source is the SQL text the statement was prepared from", () => {
      const db = t.open();
      const sql = "SELECT 1 AS one -- trailing comment";
      expect(db.prepare(sql).source).toBe(sql);
    });

    it("RETURNING rows come back from get() and all(), and the writes happen", () => {
      const db = t.open();
      db.exec(PEOPLE);
      expect(db.prepare("INSERT INTO people (name) VALUES (?) RETURNING id, name").get("ada")).toEqual({ id: 1, name: "ada" });
      expect(db.prepare("INSERT INTO people (name) VALUES ('b'), ('c') RETURNING id").all()).toEqual([{ id: 2 }, { id: 3 }]);
      expect(db.prepare("SELECT count(*) AS n FROM people").get()).toEqual({ n: 3 });
    });

    it("binds positional parameters", () => {
      const db = t.open();
      expect(db.prepare("SELECT ? AS a, ? AS b, ? AS c").get(1, "two", null)).toEqual({ a: 1, b: "two", c: null });
      expect(db.prepare("SELECT ? AS a, ? AS b").get(...[5, 6])).toEqual({ a: 5, b: 6 });
    });

    it("binds named parameters (:name, @name, $name) from one object whose keys have no prefix", () => {
      const db = t.open();
      expect(db.prepare("SELECT :a AS a, @b AS b, $c AS c").get({ a: 1, b: "x", c: null })).toEqual({ a: 1, b: "x", c: null });
      expect(db.prepare("SELECT :v AS first, :v + 1 AS second").get({ v: 41 })).toEqual({ first: 41, second: 42 });
    });

    it("ignores keys of a named-parameter object that match no parameter", () => {
      const db = t.open();
      expect(db.prepare("SELECT :a AS a").get({ a: 1, unused: 2 })).toEqual({ a: 1 });
    });

    it("named parameters work with run() for writes", () => {
      const db = t.open();
      db.exec(PEOPLE);
      db.prepare("INSERT INTO people (name, age) VALUES (:name, :age)").run({ name: "ada", age: 36 });
      expect(db.prepare("SELECT name, age FROM people WHERE name = @name").get({ name: "ada" })).toEqual({ name: "ada", age: 36 });
    });

    it("a statement can be run many times with different parameters", () => {
      const db = t.open();
      db.exec(PEOPLE);
      const insert = db.prepare("INSERT INTO people (name, age) VALUES (?, ?)");
      for (let i = 0; i < 100; i++) insert.run(`p${i}`, i);
      expect(db.prepare("SELECT count(*) AS n, sum(age) AS total FROM people").get()).toEqual({ n: 100, total: 4950 });
    });

    it("a prepared SELECT sees rows written after it was prepared", () => {
      const db = t.open();
      db.exec(PEOPLE);
      const count = db.prepare<{ n: number }>("SELECT count(*) AS n FROM people");
      expect(count.get()).toEqual({ n: 0 });
      db.prepare("INSERT INTO people (name) VALUES ('x')").run();
      expect(count.get()).toEqual({ n: 1 });
    });

    it("exec() runs several statements in order", () => {
      const db = t.open();
      db.exec(`${PEOPLE}; INSERT INTO people (name) VALUES ('a'); INSERT INTO people (name) VALUES ('b');
        UPDATE people SET age = id * 10;`);
      expect(db.prepare("SELECT name, age FROM people ORDER BY id").all()).toEqual([
        { name: "a", age: 10 },
        { name: "b", age: 20 },
      ]);
    });

    it("prepare() accepts a trailing semicolon, whitespace and comments", () => {
      const db = t.open();
      expect(db.prepare("SELECT 1 AS x;").get()).toEqual({ x: 1 });
      expect(db.prepare("SELECT 2 AS x; -- done\n  ").get()).toEqual({ x: 2 });
      expect(db.prepare("SELECT 3 AS x /* c */ ; /* more */").get()).toEqual({ x: 3 });
      expect(db.prepare("SELECT ';' AS x").get()).toEqual({ x: ";" });
    });

    it("parameter markers inside strings, identifiers and comments are not parameters", () => {
      const db = t.open();
      expect(db.prepare("SELECT '?' AS \"a?\", ':x' AS b, ? AS c /* ? :y */ -- ?\n").get(7)).toEqual({ "a?": "?", b: ":x", c: 7 });
    });

    it("returns fresh objects: changing a returned row or BLOB does not change the next read", () => {
      const db = t.open();
      db.exec("CREATE TABLE b (data BLOB)");
      db.prepare("INSERT INTO b VALUES (?)").run(new Uint8Array([1, 2, 3]));
      const select = db.prepare<{ data: Uint8Array }>("SELECT data FROM b");
      const first = select.get();
      if (first === undefined) throw new Error("row missing");
      first.data[0] = 99;
      (first as Record<string, unknown>)["data"] = null;
      expect(Array.from(select.get()?.data ?? [])).toEqual([1, 2, 3]);
    });
  });
}
