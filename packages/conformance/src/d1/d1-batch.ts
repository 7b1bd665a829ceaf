import { describe, expect, it } from "vitest";
import type { DescribeD1Options } from "./d1-fixture.js";
import { d1Error, expectD1Error } from "./d1-expect.js";
import { useD1TestContext } from "./d1-test-context.js";

/** `batch`: one result per statement, one transaction, all or nothing. */
export function describeD1Batch(options: DescribeD1Options): void {
  describe(options.name, () => {
    describe("batch", () => {
      const t = useD1TestContext(options);

      async function names(): Promise<unknown[]> {
        return (await t.db.prepare("SELECT name FROM items ORDER BY name").raw()).map((row) => (row as unknown[])[0]);
      }

      it("runs every statement in order and resolves with one result per statement", async () => {
        await t.db.exec("CREATE TABLE items (name TEXT PRIMARY KEY)");
        const insert = t.db.prepare("INSERT INTO items VALUES (?)");
        const results = await t.db.batch([insert.bind("a"), insert.bind("b"), t.db.prepare("SELECT count(*) AS n FROM items")]);
        expect(results).toHaveLength(3);
        expect(results.map((result) => result.success)).toEqual([true, true, true]);
        expect(results[0]!.meta["changes"]).toBe(1);
        expect(results[2]!.results).toEqual([{ n: 2 }]);
      });

      it("is one transaction: a failing statement rolls back the others and rejects with D1_ERROR", async () => {
        await t.db.exec("CREATE TABLE items (name TEXT PRIMARY KEY)");
        await t.db.prepare("INSERT INTO items VALUES ('kept')").run();
        const insert = t.db.prepare("INSERT INTO items VALUES (?)");
        await expectD1Error(
          t.db.batch([insert.bind("lost"), t.db.prepare("UPDATE items SET name = name || '!'"), t.db.prepare("INSERT INTO nope VALUES (1)")]),
          d1Error("no such table: nope: SQLITE_ERROR"),
        );
        expect(await names()).toEqual(["kept"]);
      });

      it("a constraint failure rolls back the whole batch", async () => {
        await t.db.exec("CREATE TABLE items (name TEXT PRIMARY KEY)");
        const insert = t.db.prepare("INSERT INTO items VALUES (?)");
        await expectD1Error(
          t.db.batch([insert.bind("a"), insert.bind("b"), insert.bind("a")]),
          d1Error("UNIQUE constraint failed: items.name: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_PRIMARYKEY)"),
        );
        expect(await names()).toEqual([]);
      });

      it("batch([]) rejects: No SQL statements detected.", async () => {
        await expectD1Error(t.db.batch([]), d1Error("No SQL statements detected."));
      });

      it("later statements see the writes of earlier ones", async () => {
        await t.db.exec("CREATE TABLE items (name TEXT PRIMARY KEY)");
        const [, read] = await t.db.batch([t.db.prepare("INSERT INTO items VALUES ('x')"), t.db.prepare("SELECT name FROM items")]);
        expect(read!.results).toEqual([{ name: "x" }]);
      });

      it("a statement that is only an indented comment is dropped from the batch and its results", async () => {
        await t.db.exec("CREATE TABLE items (name TEXT PRIMARY KEY)");
        const results = await t.db.batch([t.db.prepare("  -- nothing here"), t.db.prepare("INSERT INTO items VALUES ('a')")]);
        expect(results).toHaveLength(1);
        expect(results[0]!.meta["changes"]).toBe(1);
      });

      it("statements from sessions and plain prepare() mix in one batch", async () => {
        await t.db.exec("CREATE TABLE items (name TEXT PRIMARY KEY)");
        const session = t.db.withSession();
        await session.batch([session.prepare("INSERT INTO items VALUES ('s')"), t.db.prepare("INSERT INTO items VALUES ('p')")]);
        expect(await names()).toEqual(["p", "s"]);
      });
    });
  });
}
