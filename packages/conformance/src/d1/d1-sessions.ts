import { describe, expect, it } from "vitest";
import type { DescribeD1Options } from "./d1-fixture.js";
import { expectD1Error } from "./d1-expect.js";
import { useD1TestContext } from "./d1-test-context.js";

/** The local commit token's shape: `%08x-%08x-00000000-` and 32 zeros. */
const BOOKMARK = /^[0-9a-f]{8}-[0-9a-f]{8}-00000000-0{32}$/;

/** `withSession` and bookmarks, and the deprecated `dump()`. */
export function describeD1Sessions(options: DescribeD1Options): void {
  describe(options.name, () => {
    describe("sessions", () => {
      const t = useD1TestContext(options);

      it("a new session has no bookmark; after a query it holds the commit token", async () => {
        const session = t.db.withSession();
        expect(session.getBookmark()).toBeNull();
        await session.prepare("SELECT 1").all();
        expect(session.getBookmark()).toMatch(BOOKMARK);
      });

      it("bookmarks only grow, across reads and writes", async () => {
        await t.db.exec("CREATE TABLE items (name TEXT)");
        const session = t.db.withSession("first-primary");
        const seen: string[] = [];
        for (const sql of ["INSERT INTO items VALUES ('a')", "SELECT * FROM items", "INSERT INTO items VALUES ('b')", "SELECT 1"]) {
          await session.prepare(sql).run();
          seen.push(session.getBookmark()!);
        }
        for (let i = 1; i < seen.length; i++) expect(seen[i - 1]!.localeCompare(seen[i]!), `${seen[i - 1]} < ${seen[i]}`).toBeLessThan(0);
      });

      it("a session made from a bookmark starts with it and moves past it", async () => {
        const first = t.db.withSession();
        await first.prepare("SELECT 1").all();
        const bookmark = first.getBookmark()!;
        const second = t.db.withSession(bookmark);
        expect(second.getBookmark()).toBe(bookmark);
        await second.prepare("SELECT 1").all();
        expect(bookmark.localeCompare(second.getBookmark()!)).toBeLessThan(0);
      });

      it("constraints are not bookmarks; blank means first-unconstrained; any other string is kept as a bookmark", async () => {
        for (const value of ["first-primary", "first-unconstrained", "", "   ", undefined]) expect(t.db.withSession(value).getBookmark()).toBeNull();
        const custom = t.db.withSession("  zzz-not-a-token  ");
        expect(custom.getBookmark()).toBe("zzz-not-a-token");
        await custom.prepare("SELECT 1").all();
        // A token sorts before "zzz…", so the session keeps the greater value.
        expect(custom.getBookmark()).toBe("zzz-not-a-token");
      });

      it("a session's batch is one transaction and moves its bookmark", async () => {
        await t.db.exec("CREATE TABLE items (name TEXT PRIMARY KEY)");
        const session = t.db.withSession();
        const results = await session.batch([session.prepare("INSERT INTO items VALUES ('a')"), session.prepare("SELECT count(*) AS n FROM items")]);
        expect(results[1]!.results).toEqual([{ n: 1 }]);
        expect(session.getBookmark()).toMatch(BOOKMARK);
        await expect(session.batch([session.prepare("INSERT INTO items VALUES ('b')"), session.prepare("INSERT INTO items VALUES ('a')")])).rejects.toThrow(
          "UNIQUE constraint failed",
        );
        expect(await t.db.prepare("SELECT count(*) AS n FROM items").first("n")).toBe(1);
      });

      it("a failed query leaves the bookmark where it was", async () => {
        const session = t.db.withSession();
        await session.prepare("SELECT 1").all();
        const before = session.getBookmark();
        await expect(session.prepare("SELECT * FROM nope").all()).rejects.toThrow("no such table");
        expect(session.getBookmark()).toBe(before);
      });

      it("sessions and the database see one another's writes", async () => {
        await t.db.exec("CREATE TABLE items (name TEXT)");
        const a = t.db.withSession();
        const b = t.db.withSession();
        await a.prepare("INSERT INTO items VALUES ('from a')").run();
        expect(await b.prepare("SELECT name FROM items").first("name")).toBe("from a");
        expect(await t.db.prepare("SELECT count(*) AS n FROM items").first("n")).toBe(1);
      });

      it("dump() rejects with D1_DUMP_ERROR: Status + 404", async () => {
        await expectD1Error(t.db.dump(), "D1_DUMP_ERROR: Status + 404");
      });
    });
  });
}
