import { describe, expect, it } from "vitest";
import type { DescribeD1Options } from "./d1-fixture.js";
import { rejection } from "./d1-expect.js";
import { useD1TestContext } from "./d1-test-context.js";

/** What reaches storage: committed writes survive, failed ones leave nothing, and no foreign tables appear (L2). */
export function describeD1Persistence(options: DescribeD1Options): void {
  const capabilities = options.capabilities ?? {};
  describe(options.name, () => {
    describe("persistence", () => {
      const t = useD1TestContext(options);

      it.skipIf(!capabilities.persistent)("committed data survives reopening the database [persistent]", async () => {
        await t.db.exec("CREATE TABLE items (name TEXT)");
        await t.db.batch([t.db.prepare("INSERT INTO items VALUES ('a')"), t.db.prepare("INSERT INTO items VALUES ('b')")]);
        const reopened = await t.reopen();
        expect(await reopened.prepare("SELECT name FROM items ORDER BY name").raw()).toEqual([["a"], ["b"]]);
      });

      it.skipIf(!capabilities.persistent)("a failed batch leaves nothing behind after reopening [persistent]", async () => {
        await t.db.exec("CREATE TABLE items (name TEXT PRIMARY KEY)");
        await rejection(t.db.batch([t.db.prepare("INSERT INTO items VALUES ('a')"), t.db.prepare("INSERT INTO items VALUES ('a')")]));
        const reopened = await t.reopen();
        expect(await reopened.prepare("SELECT count(*) AS n FROM items").first("n")).toBe(0);
      });

      it.skipIf(!capabilities.inspect)("a write has reached storage by the time its promise resolves [inspect]", async () => {
        const query = t.hook("query");
        await t.db.exec("CREATE TABLE items (name TEXT)");
        await t.db.prepare("INSERT INTO items VALUES (?)").bind("durable").run();
        expect(await query("SELECT name FROM items")).toEqual([["durable"]]);
        await t.db.batch([t.db.prepare("UPDATE items SET name = 'updated'"), t.db.prepare("INSERT INTO items VALUES ('second')")]);
        expect(await query("SELECT name FROM items ORDER BY rowid")).toEqual([["updated"], ["second"]]);
      });

      it.skipIf(!capabilities.inspect)("the database holds only the user's tables: nothing is added to it (L2) [inspect]", async () => {
        const query = t.hook("query");
        await t.db.exec("CREATE TABLE items (name TEXT)");
        const session = t.db.withSession();
        await session.prepare("INSERT INTO items VALUES ('a')").run();
        await t.db.prepare("SELECT * FROM items").all();
        await rejection(t.db.prepare("PRAGMA user_version = 1").run());
        expect(await query("SELECT type, name FROM sqlite_schema ORDER BY name")).toEqual([["table", "items"]]);
        expect(await query("PRAGMA user_version")).toEqual([[0]]);
      });
    });
  });
}
