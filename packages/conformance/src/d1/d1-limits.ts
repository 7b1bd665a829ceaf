import { describe, expect, it } from "vitest";
import type { DescribeD1Options } from "./d1-fixture.js";
import { d1Error, expectD1Error, expectD1ErrorMatching, rejection } from "./d1-expect.js";
import { useD1TestContext } from "./d1-test-context.js";

function list(count: number, item: (i: number) => string): string {
  return Array.from({ length: count }, (_, i) => item(i)).join(", ");
}

/** D1's limits: parameters, statement length, value size (Q6), function arguments (Q7), compound terms, columns, database size (Q8). */
export function describeD1Limits(options: DescribeD1Options): void {
  const capabilities = options.capabilities ?? {};
  describe(options.name, () => {
    describe("limits", () => {
      const t = useD1TestContext(options);

      it("100 bound parameters are allowed; the 101st fails: too many SQL variables", async () => {
        const values = Array.from({ length: 101 }, (_, i) => i);
        const hundred = await t.db.prepare(`SELECT ${list(100, () => "?")}`).bind(...values.slice(0, 100)).raw();
        expect((hundred[0] as unknown[]).length).toBe(100);
        // The offset is that of the 101st `?`: "SELECT " plus 100 times "?, ".
        await expectD1Error(t.db.prepare(`SELECT ${list(101, () => "?")}`).bind(...values).raw(), d1Error("too many SQL variables at offset 307: SQLITE_ERROR"));
        await expectD1Error(t.db.prepare(`SELECT ${list(101, (i) => `:p${i}`)}`).bind(...values).raw(), d1Error("too many SQL variables at offset 597: SQLITE_ERROR"));
      });

      it("?100 is the highest numbered parameter; ?101 fails", async () => {
        const values = Array.from({ length: 100 }, (_, i) => i);
        expect(await t.db.prepare("SELECT ?100 AS last").bind(...values).first("last")).toBe(99);
        await expectD1ErrorMatching(
          t.db.prepare("SELECT ?101 AS x").bind(1).first(),
          /^D1_ERROR: variable number must be between \?1 and \?100( at offset 7)?: SQLITE_ERROR$/,
        );
      });

      it("a query of 100,000 bytes runs; one byte more fails: statement too long", async () => {
        const query = (bytes: number): string => `SELECT '${"x".repeat(bytes - 14)}' AS s`;
        expect(((await t.db.prepare(query(100_000)).first("s")) as string).length).toBe(99_986);
        await expectD1Error(t.db.prepare(query(100_001)).first(), d1Error("statement too long: SQLITE_TOOBIG"));
        // Bytes, not characters: 50,000 two-byte characters make the query longer than 100,000 bytes.
        await expectD1Error(t.db.prepare(`SELECT '${"é".repeat(50_000)}'`).first(), d1Error("statement too long: SQLITE_TOOBIG"));
      });

      it("strings and BLOBs up to 2,000,000 bytes bind; larger ones fail: string or blob too big (Q6)", async () => {
        await t.db.exec("CREATE TABLE big (v)");
        const insert = t.db.prepare("INSERT INTO big VALUES (?)");
        await insert.bind("x".repeat(2_000_000)).run();
        await insert.bind(new Uint8Array(2_000_000)).run();
        const tooBig = d1Error("string or blob too big: SQLITE_TOOBIG");
        await expectD1Error(insert.bind("x".repeat(2_000_001)).run(), tooBig);
        await expectD1Error(insert.bind("é".repeat(1_000_001)).run(), tooBig);
        await expectD1Error(insert.bind(new Uint8Array(2_000_001)).run(), tooBig);
        expect(await t.db.prepare("SELECT count(*) AS n, max(length(v)) AS longest FROM big").first()).toEqual({ n: 2, longest: 2_000_000 });
      });

      it("a function takes at most 32 arguments (Q7)", async () => {
        const args = (count: number): string => list(count, (i) => String(i));
        expect(await t.db.prepare(`SELECT json_array(${args(32)}) AS a`).first("a")).toBe(`[${list(32, String).replaceAll(" ", "")}]`);
        await expectD1ErrorMatching(
          t.db.prepare(`SELECT json_array(${args(33)}) AS a`).first(),
          /^D1_ERROR: too many arguments on function json_array( at offset 7)?: SQLITE_ERROR$/,
        );
      });

      it("a compound SELECT has at most 5 terms", async () => {
        const compound = (terms: number): string => Array.from({ length: terms }, (_, i) => `SELECT ${i}`).join(" UNION ALL ");
        expect(await t.db.prepare(compound(5)).raw()).toHaveLength(5);
        await expectD1Error(t.db.prepare(compound(6)).raw(), d1Error("too many terms in compound SELECT: SQLITE_ERROR"));
        // Multi-row VALUES is not a compound SELECT for this limit.
        expect(await t.db.prepare(`VALUES ${list(10, (i) => `(${i})`)}`).raw()).toHaveLength(10);
      });

      it("a table has at most 100 columns, and so does a result set", async () => {
        await t.db.exec(`CREATE TABLE wide (${list(100, (i) => `c${i}`)})`);
        await expectD1Error(t.db.prepare(`CREATE TABLE wider (${list(101, (i) => `c${i}`)})`).run(), d1Error("too many columns on wider: SQLITE_ERROR"));
        expect((await t.db.prepare(`SELECT ${list(100, String)}`).raw())[0]).toHaveLength(100);
        await expectD1Error(t.db.prepare(`SELECT ${list(101, String)}`).raw(), d1Error("too many columns in result set: SQLITE_ERROR"));
      });

      it.skipIf(!capabilities.sizeLimit)("a write beyond the maximum size fails: database or disk is full, keeping earlier data [sizeLimit]", async () => {
        const fixture = await t.createWith({ maxDatabaseSizeBytes: 256 * 1024 });
        const db = fixture.db;
        await db.exec("CREATE TABLE chunks (data BLOB)");
        const insert = db.prepare("INSERT INTO chunks VALUES (zeroblob(30000))");
        let stored = 0;
        let error: Error | undefined;
        while (error === undefined && stored < 100) {
          try {
            await insert.run();
            stored++;
          } catch (caught) {
            error = caught as Error;
          }
        }
        expect(error?.message).toBe(d1Error("database or disk is full: SQLITE_FULL"));
        expect(stored).toBeGreaterThan(2);
        expect(stored).toBeLessThan(10);
        expect(await db.prepare("SELECT count(*) AS n FROM chunks").first("n")).toBe(stored);
        await rejection(db.batch([db.prepare("DELETE FROM chunks"), insert, insert, insert, insert, insert, insert, insert, insert, insert, insert]));
        expect(await db.prepare("SELECT count(*) AS n FROM chunks").first("n")).toBe(stored);
      });
    });
  });
}
