import { describe, expect, it } from "vitest";
import type { DescribeD1Options } from "./d1-fixture.js";
import { expectD1Error } from "./d1-expect.js";
import { useD1TestContext } from "./d1-test-context.js";

/** `exec`: one line per statement, one transaction, errors naming their real line (Q1). */
export function describeD1Exec(options: DescribeD1Options): void {
  describe(options.name, () => {
    describe("exec", () => {
      const t = useD1TestContext(options);

      it("runs each line and resolves with the count of statements and their duration", async () => {
        const result = await t.db.exec(
          "CREATE TABLE items (name TEXT);\nINSERT INTO items VALUES ('a');\n\nINSERT INTO items VALUES ('b'); INSERT INTO items VALUES ('c');",
        );
        expect(result.count).toBe(3);
        expect(result.duration).toBeTypeOf("number");
        expect(await t.db.prepare("SELECT count(*) AS n FROM items").first("n")).toBe(3);
      });

      it("is one transaction: a failing line keeps nothing, and the error names that line (Q1)", async () => {
        await expectD1Error(
          t.db.exec("CREATE TABLE items (name TEXT);\nINSERT INTO items VALUES ('a');\nINSERT INTO nope VALUES (1);"),
          "D1_EXEC_ERROR: Error in line 3: INSERT INTO nope VALUES (1);: no such table: nope: SQLITE_ERROR",
        );
        expect((await t.db.prepare("SELECT name FROM sqlite_schema WHERE name = 'items'").all()).results).toEqual([]);
      });

      it("counts lines from the start of the text, leading blank lines and blank lines between included", async () => {
        await expectD1Error(
          t.db.exec("\n\nSELECT 1;\n\nSELECT * FROM nope;\n"),
          "D1_EXEC_ERROR: Error in line 5: SELECT * FROM nope;: no such table: nope: SQLITE_ERROR",
        );
      });

      it("a statement spanning several lines fails with incomplete input on its first line", async () => {
        await expectD1Error(
          t.db.exec("CREATE TABLE items (\n  name TEXT\n);"),
          "D1_EXEC_ERROR: Error in line 1: CREATE TABLE items (: incomplete input: SQLITE_ERROR",
        );
      });

      it("an indented comment line is skipped; one at column 0 is not a statement (Q4)", async () => {
        expect((await t.db.exec("SELECT 1;\n   -- indented\nSELECT 2;")).count).toBe(2);
        await expectD1Error(t.db.exec("SELECT 1;\n-- at column 0"), "D1_EXEC_ERROR: Error in line 2: -- at column 0: SQL code did not contain a statement.");
      });

      it("exec('') rejects: No SQL statements detected.", async () => {
        await expectD1Error(t.db.exec(""), "D1_EXEC_ERROR: Error in line 1: : No SQL statements detected.");
      });

      it("the database's restrictions hold in exec too", async () => {
        await expectD1Error(
          t.db.exec("CREATE TABLE items (name TEXT);\nPRAGMA user_version = 3;"),
          "D1_EXEC_ERROR: Error in line 2: PRAGMA user_version = 3;: not authorized: SQLITE_AUTH",
        );
      });
    });
  });
}
