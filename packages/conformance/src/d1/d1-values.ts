import { describe, expect, it } from "vitest";
import type { DescribeD1Options } from "./d1-fixture.js";
import { expectThrownD1Error } from "./d1-expect.js";
import { useD1TestContext } from "./d1-test-context.js";

/** The binding's type mapping: what `bind` accepts, how values are stored and how they come back. */
export function describeD1Values(options: DescribeD1Options): void {
  const capabilities = options.capabilities ?? {};
  describe(options.name, () => {
    describe("values", () => {
      const t = useD1TestContext(options);

      async function echo(value: unknown): Promise<unknown> {
        return t.db.prepare("SELECT ? AS v").bind(value).first("v");
      }

      it("numbers, strings and null round-trip", async () => {
        for (const value of [0, 1, -1, 1.5, -2.25, 2 ** 40, Number.MAX_SAFE_INTEGER, "", "text", "é日本語 👩‍🚀", "a\u0000b", null]) {
          expect(await echo(value), String(value)).toBe(value);
        }
      });

      it("booleans bind as 1 and 0", async () => {
        expect(await echo(true)).toBe(1);
        expect(await echo(false)).toBe(0);
      });

      it("NaN and ±Infinity bind as NULL", async () => {
        for (const value of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) expect(await echo(value)).toBeNull();
      });

      it("BLOBs bind from an ArrayBuffer, a Uint8Array (only the view's bytes) or an array of bytes", async () => {
        const backing = new Uint8Array([9, 9, 1, 2, 3, 9]);
        expect(await echo(backing.buffer.slice(2, 5))).toEqual([1, 2, 3]);
        expect(await echo(backing.subarray(2, 5))).toEqual([1, 2, 3]);
        expect(await echo([0, 127, 255])).toEqual([0, 127, 255]);
        const empty = await t.db.prepare("SELECT typeof(?) AS type, length(?) AS n").bind([], new Uint8Array(0)).first();
        expect(empty).toEqual({ type: "blob", n: 0 });
      });

      it("a typed array binds its elements (a Uint16Array's values modulo 256), as the binding converts views", async () => {
        expect(await echo(new Uint16Array([1, 258]))).toEqual([1, 2]);
        expect(await t.db.prepare("SELECT typeof(?) AS type").bind(new Int8Array([1])).first("type")).toBe("blob");
      });

      it("BLOBs come back as arrays of numbers", async () => {
        expect(await t.db.prepare("SELECT x'00ff10' AS b").first("b")).toEqual([0, 255, 16]);
        await t.db.exec("CREATE TABLE files (data BLOB)");
        await t.db.prepare("INSERT INTO files VALUES (?)").bind(new Uint8Array([5, 6])).run();
        const row = await t.db.prepare("SELECT data, typeof(data) AS type FROM files").first();
        expect(row).toEqual({ data: [5, 6], type: "blob" });
        expect(Array.isArray((row as { data: unknown }).data)).toBe(true);
      });

      it("undefined, bigint, objects, Dates and arrays with non-bytes are refused by bind() with D1_TYPE_ERROR", () => {
        const statement = t.db.prepare("SELECT ?");
        expectThrownD1Error(() => statement.bind(undefined), "D1_TYPE_ERROR: Type 'undefined' not supported for value 'undefined'");
        expectThrownD1Error(() => statement.bind(10n), "D1_TYPE_ERROR: Type 'bigint' not supported for value '10'");
        expectThrownD1Error(() => statement.bind({ a: 1 }), "D1_TYPE_ERROR: Type 'object' not supported for value '[object Object]'");
        const date = new Date(0);
        expectThrownD1Error(() => statement.bind(date), `D1_TYPE_ERROR: Type 'object' not supported for value '${String(date)}'`);
        expectThrownD1Error(() => statement.bind([1, 256]), "D1_TYPE_ERROR: Type 'object' not supported for value '1,256'");
        expectThrownD1Error(() => statement.bind(1, [-1]), "D1_TYPE_ERROR: Type 'object' not supported for value '-1'");
      });

      it.skipIf(!capabilities.numbersBindAsReal)("numbers bind as REAL, as D1 binds them [numbersBindAsReal]", async () => {
        expect(await t.db.prepare("SELECT typeof(?) AS type, ? / 2 AS half").bind(1, 1).first()).toEqual({ type: "real", half: 0.5 });
        await t.db.exec("CREATE TABLE n (i INTEGER, x)");
        await t.db.prepare("INSERT INTO n VALUES (?, ?)").bind(1, 1).run();
        expect(await t.db.prepare("SELECT typeof(i) AS i, typeof(x) AS x FROM n").first()).toEqual({ i: "integer", x: "real" });
      });

      it("integers come back as JS numbers, losing precision beyond 2^53 as in production", async () => {
        expect(await t.db.prepare("SELECT 9007199254740993 AS n").first("n")).toBe(9007199254740992);
        expect(await t.db.prepare("SELECT 3 / 2 AS q, 7 AS i").first()).toEqual({ q: 1, i: 7 });
      });

      it("named and numbered parameters are filled by position", async () => {
        expect(await t.db.prepare("SELECT :b AS b, :a AS a").bind(1, 2).first()).toEqual({ b: 1, a: 2 });
        expect(await t.db.prepare("SELECT ?2 AS two, ?1 AS one").bind("x", "y").first()).toEqual({ two: "y", one: "x" });
        expect(await t.db.prepare("SELECT :a AS x, :a AS y, @b AS z, $c AS w").bind(7, 8, 9).first()).toEqual({ x: 7, y: 7, z: 8, w: 9 });
        expect(await t.db.prepare("SELECT ?, ?3 AS three").bind(1, 2, 3).first("three")).toBe(3);
      });

      it("a ? inside a string, a comment or a quoted identifier is not a parameter", async () => {
        const row = await t.db.prepare("SELECT '?' AS q, ? AS \"?p\" /* ? */ -- ?").bind(5).first();
        expect(row).toEqual({ q: "?", "?p": 5 });
      });
    });
  });
}
