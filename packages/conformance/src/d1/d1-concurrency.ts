import { describe, expect, it } from "vitest";
import type { DescribeD1Options } from "./d1-fixture.js";
import { useD1TestContext } from "./d1-test-context.js";

/** Concurrent requests on one database, and two connections to one database (as two processes). */
export function describeD1Concurrency(options: DescribeD1Options): void {
  const capabilities = options.capabilities ?? {};
  describe(options.name, () => {
    describe("concurrency", () => {
      const t = useD1TestContext(options);

      it("concurrent requests do not interleave: 50 read-modify-write batches all count", async () => {
        await t.db.exec("CREATE TABLE counter (n INTEGER)");
        await t.db.prepare("INSERT INTO counter VALUES (0)").run();
        const bump = (): Promise<unknown> =>
          t.db.batch([t.db.prepare("UPDATE counter SET n = (SELECT n FROM counter) + 1"), t.db.prepare("SELECT n FROM counter")]);
        await Promise.all(Array.from({ length: 50 }, bump));
        expect(await t.db.prepare("SELECT n FROM counter").first("n")).toBe(50);
      });

      it("requests run in the order they are made, even when not awaited one by one", async () => {
        await t.db.exec("CREATE TABLE items (i INTEGER)");
        const writes = Array.from({ length: 20 }, (_, i) => t.db.prepare("INSERT INTO items VALUES (?)").bind(i).run());
        const read = t.db.prepare("SELECT count(*) AS n, max(i) AS last FROM items").first();
        await Promise.all(writes);
        expect(await read).toEqual({ n: 20, last: 19 });
      });

      it("a failing request does not disturb the requests around it", async () => {
        await t.db.exec("CREATE TABLE items (i INTEGER PRIMARY KEY)");
        const outcomes = await Promise.allSettled([
          t.db.prepare("INSERT INTO items VALUES (1)").run(),
          t.db.prepare("INSERT INTO items VALUES (1)").run(),
          t.db.prepare("INSERT INTO items VALUES (2)").run(),
        ]);
        expect(outcomes.map((outcome) => outcome.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
        expect(await t.db.prepare("SELECT i FROM items ORDER BY i").raw()).toEqual([[1], [2]]);
      });

      it.skipIf(!capabilities.multiConnection)("two connections writing one database both succeed and lose nothing [multiConnection]", async () => {
        await t.db.exec("CREATE TABLE items (source TEXT, i INTEGER)");
        const other = await t.second();
        const write = (db: typeof other, source: string): Promise<unknown>[] =>
          Array.from({ length: 40 }, (_, i) =>
            db.batch([db.prepare("INSERT INTO items VALUES (?, ?)").bind(source, i), db.prepare("SELECT count(*) FROM items")]),
          );
        await Promise.all([...write(t.db, "first"), ...write(other, "second")]);
        expect(await t.db.prepare("SELECT source, count(*) AS n FROM items GROUP BY source ORDER BY source").all()).toMatchObject({
          results: [
            { source: "first", n: 40 },
            { source: "second", n: 40 },
          ],
        });
        expect(await other.prepare("SELECT count(*) AS n FROM items").first("n")).toBe(80);
      });
    });
  });
}
