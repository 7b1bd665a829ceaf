import { describe, expect, it } from "vitest";
import type { DescribeD1Options } from "./d1-fixture.js";
import { d1Error, expectD1Error, expectD1ErrorMatching, rejection } from "./d1-expect.js";
import { useD1TestContext } from "./d1-test-context.js";

/** The error format `D1_ERROR: <message>: SQLITE_<CODE>` and the runtime's exact messages. */
export function describeD1Errors(options: DescribeD1Options): void {
  describe(options.name, () => {
    describe("errors", () => {
      const t = useD1TestContext(options);

      it("SQLite errors read D1_ERROR: <message>: SQLITE_<CODE>, with the text after the prefix as cause", async () => {
        const error = await rejection(t.db.prepare("SELECT * FROM nope").all());
        expect(error.message).toBe("D1_ERROR: no such table: nope: SQLITE_ERROR");
        expect((error.cause as Error).message).toBe("no such table: nope: SQLITE_ERROR");
      });

      it("a syntax error carries SQLite's message", async () => {
        await expectD1ErrorMatching(t.db.prepare("SELEC 1").all(), /^D1_ERROR: near "SELEC": syntax error( at offset 0)?: SQLITE_ERROR$/);
      });

      it("constraint errors add the extended code", async () => {
        await t.db.exec("CREATE TABLE parent (id INTEGER PRIMARY KEY)");
        await t.db.exec("CREATE TABLE child (id INTEGER PRIMARY KEY, email TEXT UNIQUE, v INTEGER NOT NULL CHECK (v > 0), parent INTEGER REFERENCES parent (id))");
        await t.db.prepare("INSERT INTO child (id, email, v) VALUES (1, 'a', 1)").run();
        const cases: [string, string][] = [
          ["INSERT INTO child (id, v) VALUES (1, 1)", "UNIQUE constraint failed: child.id: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_PRIMARYKEY)"],
          ["INSERT INTO child (email, v) VALUES ('a', 1)", "UNIQUE constraint failed: child.email: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_UNIQUE)"],
          ["INSERT INTO child (email) VALUES ('b')", "NOT NULL constraint failed: child.v: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_NOTNULL)"],
          ["INSERT INTO child (v) VALUES (0)", "CHECK constraint failed: v > 0: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_CHECK)"],
          ["INSERT INTO child (v, parent) VALUES (1, 42)", "FOREIGN KEY constraint failed: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_FOREIGNKEY)"],
        ];
        for (const [sql, message] of cases) await expectD1Error(t.db.prepare(sql).run(), d1Error(message));
      });

      it("a wrong number of bound values: Wrong number of parameter bindings for SQL query.", async () => {
        const message = d1Error("Wrong number of parameter bindings for SQL query.");
        await expectD1Error(t.db.prepare("SELECT ?, ?").bind(1).all(), message);
        await expectD1Error(t.db.prepare("SELECT ?").bind(1, 2).all(), message);
        await expectD1Error(t.db.prepare("SELECT 1").bind(1).all(), message);
      });

      it("nothing left after D1's comment filter: No SQL statements detected.", async () => {
        for (const sql of ["", "   ", "\n\t", "  -- indented comment", "\n-- comment after a newline\n  -- and another"]) {
          await expectD1Error(t.db.prepare(sql).all(), d1Error("No SQL statements detected."));
        }
      });

      it("only a comment, or a comment after the last statement: SQL code did not contain a statement. (Q4)", async () => {
        for (const sql of ["-- a comment at the very start", "/* block */", "SELECT 1; -- trailing", "SELECT 1;;"]) {
          await expectD1Error(t.db.prepare(sql).all(), d1Error("SQL code did not contain a statement."));
        }
        expect(await t.db.prepare("SELECT 1 AS one -- no semicolon before this comment").first("one")).toBe(1);
        expect(await t.db.prepare("-- a comment first\nSELECT 1 AS one;\n").first("one")).toBe(1);
      });

      it("a failed query keeps nothing of the statements before the failing one", async () => {
        await t.db.exec("CREATE TABLE items (name TEXT)");
        await t.db.prepare("INSERT INTO items VALUES ('kept')").run();
        await expectD1Error(
          t.db.prepare("UPDATE items SET name = 'changed'; INSERT INTO nope VALUES (1)").run(),
          d1Error("no such table: nope: SQLITE_ERROR"),
        );
        expect(await t.db.prepare("SELECT name FROM items").first("name")).toBe("kept");
      });

      it("VACUUM cannot run inside the request's transaction", async () => {
        await expectD1Error(t.db.prepare("VACUUM").run(), d1Error("cannot VACUUM from within a transaction: SQLITE_ERROR"));
      });

      it("errors are Error instances and the database keeps working after them", async () => {
        const error = await rejection(t.db.prepare("SELECT * FROM nope").all());
        expect(error).toBeInstanceOf(Error);
        expect(await t.db.prepare("SELECT 2 AS two").first("two")).toBe(2);
      });
    });
  });
}
