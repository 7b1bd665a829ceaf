import { describe, expect, it } from "vitest";
import type { SqlDatabase, SqlValue } from "@cellar/metadata-store";
import { useFixture, type DescribeMetadataStoreOptions } from "./fixture.js";

/** A table with one column of each declared type, so values get the same affinity on every engine. */
const VALUES_TABLE = "CREATE TABLE v (id INTEGER PRIMARY KEY, i INTEGER, r REAL, t TEXT, b BLOB, n NUMERIC)";

function roundTrip(db: SqlDatabase, column: "i" | "r" | "t" | "b" | "n", value: unknown, safeIntegers = false): unknown {
  db.exec("DELETE FROM v");
  db.prepare(`INSERT INTO v (id, ${column}) VALUES (1, ?)`).run(value as SqlValue);
  const row = db.prepare<Record<string, unknown>>(`SELECT ${column} AS value FROM v WHERE id = 1`).safeIntegers(safeIntegers).get();
  return row?.["value"];
}

function bytes(value: unknown): number[] {
  if (!(value instanceof Uint8Array)) throw new Error(`expected a Uint8Array, got ${Object.prototype.toString.call(value)}`);
  return Array.from(value);
}

/** Every value type, bound and read back: NULL, integers, bigints, floats, text, BLOBs, booleans. */
export function describeMetadataStoreTypes(options: DescribeMetadataStoreOptions): void {
  describe(`${options.name}: value types`, () => {
    const t = useFixture(options.create);

    it("NULL round-trips as null", () => {
      const db = t.open();
      db.exec(VALUES_TABLE);
      for (const column of ["i", "r", "t", "b"] as const) expect(roundTrip(db, column, null)).toBeNull();
      expect(db.prepare("SELECT NULL AS x").get()).toEqual({ x: null });
    });

    it("integers round-trip as numbers", () => {
      const db = t.open();
      db.exec(VALUES_TABLE);
      for (const value of [0, 1, -1, 2 ** 31 - 1, 2 ** 31, -(2 ** 31) - 1, 2 ** 40, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]) {
        expect(roundTrip(db, "i", value)).toBe(value);
      }
      expect(db.prepare("SELECT typeof(i) AS type FROM v").get()).toEqual({ type: "integer" });
    });

    it("integers beyond 2^53 round-trip exactly as bigint with safeIntegers()", () => {
      const db = t.open();
      db.exec(VALUES_TABLE);
      for (const value of [2n ** 53n + 1n, 2n ** 63n - 1n, -(2n ** 63n), 1234567890123456789n]) {
        expect(roundTrip(db, "i", value, true)).toBe(value);
      }
      expect(db.prepare("SELECT typeof(i) AS type FROM v").get()).toEqual({ type: "integer" });
      expect(db.prepare("SELECT 9007199254740993 AS big").safeIntegers().get()).toEqual({ big: 9007199254740993n });
    });

    it("safeIntegers() makes every INTEGER a bigint, leaves REAL a number, and safeIntegers(false) switches back", () => {
      const db = t.open();
      const statement = db.prepare("SELECT 1 AS i, 1.5 AS r, 'x' AS t");
      expect(statement.safeIntegers()).toBe(statement);
      expect(statement.get()).toEqual({ i: 1n, r: 1.5, t: "x" });
      statement.safeIntegers(false);
      expect(statement.get()).toEqual({ i: 1, r: 1.5, t: "x" });
    });

    it("safeIntegers() makes lastInsertRowid a bigint", () => {
      const db = t.open();
      db.exec(VALUES_TABLE);
      const result = db.prepare("INSERT INTO v (id, i) VALUES (?, 1)").safeIntegers().run(2n ** 60n);
      expect(result).toEqual({ changes: 1, lastInsertRowid: 2n ** 60n });
    });

    it("bigint parameters within 2^53 bind as integers", () => {
      const db = t.open();
      db.exec(VALUES_TABLE);
      expect(roundTrip(db, "i", 42n)).toBe(42);
      expect(db.prepare("SELECT typeof(i) AS type FROM v").get()).toEqual({ type: "integer" });
      expect(db.prepare("SELECT ? + 1 AS x").get(41n)).toEqual({ x: 42 });
    });

    it("floats round-trip", () => {
      const db = t.open();
      db.exec(VALUES_TABLE);
      for (const value of [0.5, -0.25, 1.5e300, -1e-300, Math.PI, 5e-324]) expect(roundTrip(db, "r", value)).toBe(value);
      expect(db.prepare("SELECT typeof(r) AS type FROM v").get()).toEqual({ type: "real" });
    });

    it("strings round-trip, including unicode, emoji, NUL characters and the empty string", () => {
      const db = t.open();
      db.exec(VALUES_TABLE);
      for (const value of ["", "hello", "é日本語", "👩‍🚀 rocket", "a\u0000b", "\u0000", "line\nbreak", "x".repeat(100_000)]) {
        expect(roundTrip(db, "t", value)).toBe(value);
      }
      expect(roundTrip(db, "t", "")).not.toBeNull();
      expect(db.prepare("SELECT length(t) AS n, typeof(t) AS type FROM v").get()).toEqual({ n: 0, type: "text" });
    });

    it("BLOBs round-trip as Uint8Array, including empty ones and every byte value", () => {
      const db = t.open();
      db.exec(VALUES_TABLE);
      const every = new Uint8Array(256).map((_, i) => i);
      const value = roundTrip(db, "b", every);
      expect(value).toBeInstanceOf(Uint8Array);
      expect(bytes(value)).toEqual(Array.from(every));
      const empty = roundTrip(db, "b", new Uint8Array(0));
      expect(empty).toBeInstanceOf(Uint8Array);
      expect(bytes(empty)).toEqual([]);
      expect(db.prepare("SELECT typeof(b) AS type, length(b) AS n FROM v").get()).toEqual({ type: "blob", n: 0 });
      const large = new Uint8Array(1 << 20).map((_, i) => (i * 7) & 0xff);
      const back = roundTrip(db, "b", large);
      expect(back).toBeInstanceOf(Uint8Array);
      // Compared as bytes: a megabyte as a JS array would make the assertion itself slow.
      expect(Buffer.compare(back as Uint8Array, large)).toBe(0);
    });

    it("a Buffer binds as a BLOB, and a BLOB literal reads as Uint8Array", () => {
      const db = t.open();
      db.exec(VALUES_TABLE);
      expect(bytes(roundTrip(db, "b", Buffer.from("hi")))).toEqual([104, 105]);
      expect(db.prepare("SELECT typeof(b) AS type FROM v").get()).toEqual({ type: "blob" });
      const literal = db.prepare<{ x: unknown }>("SELECT x'00ff10' AS x").get()?.x;
      expect(literal).toBeInstanceOf(Uint8Array);
      expect(bytes(literal)).toEqual([0, 255, 16]);
    });

    it("a BLOB view onto part of a larger buffer binds only its own bytes", () => {
      const db = t.open();
      db.exec(VALUES_TABLE);
      const backing = new Uint8Array([9, 9, 1, 2, 3, 9]);
      expect(bytes(roundTrip(db, "b", backing.subarray(2, 5)))).toEqual([1, 2, 3]);
    });

    it("booleans bind as 1 and 0, positionally and by name", () => {
      const db = t.open();
      db.exec(VALUES_TABLE);
      expect(roundTrip(db, "i", true)).toBe(1);
      expect(roundTrip(db, "i", false)).toBe(0);
      expect(db.prepare("SELECT :yes AS yes, :no AS no").get({ yes: true, no: false })).toEqual({ yes: 1, no: 0 });
    });

    it("each value keeps its storage class in a column without type", () => {
      const db = t.open();
      db.exec("CREATE TABLE any_values (x)");
      const insert = db.prepare("INSERT INTO any_values VALUES (?)");
      for (const value of [null, "text", new Uint8Array([1]), 1.5]) insert.run(value);
      expect(db.prepare("SELECT typeof(x) AS type FROM any_values ORDER BY rowid").raw().all()).toEqual([
        ["null"],
        ["text"],
        ["blob"],
        ["real"],
      ]);
    });
  });
}
