import { describe, expect, it } from "vitest";
import type { D1DatabaseLike, DescribeD1Options } from "./d1-fixture.js";
import { useD1TestContext } from "./d1-test-context.js";

const EXPORT = "PRAGMA miniflare_d1_export(?,?,?);";

/** The export as `wrangler d1 export --local` gets it: every statement, in order. */
async function exported(db: D1DatabaseLike, noSchema: boolean, noData: boolean, ...tables: string[]): Promise<string[]> {
  const rows = await db.prepare(EXPORT).bind(noSchema, noData, ...tables).raw();
  expect(rows).toHaveLength(1);
  // The newest workers-sdk lists the columns in each INSERT; compare in the plain form.
  return (rows[0] as string[]).map((statement) => statement.replace(/^(INSERT INTO "(?:[^"]|"")*") \((?:"(?:[^"]|"")*",?)*\) VALUES\(/, "$1 VALUES("));
}

/** Miniflare's export PRAGMA and the SQL it writes (`wrangler d1 export` format). */
export function describeD1Export(options: DescribeD1Options): void {
  const capabilities = options.capabilities ?? {};
  const needs = !capabilities.exportPragma;
  describe(options.name, () => {
    describe("export", () => {
      const t = useD1TestContext(options);

      it.skipIf(needs)("writes PRAGMA defer_foreign_keys, then each table's schema and rows [exportPragma]", async () => {
        await t.db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, data BLOB, score REAL)");
        await t.db.batch([
          t.db.prepare("INSERT INTO t VALUES (?, ?, ?, ?)").bind(1, "ada", new Uint8Array([0, 255]), 1.5),
          t.db.prepare("INSERT INTO t VALUES (2, NULL, NULL, NULL)"),
          t.db.prepare("INSERT INTO t VALUES (3, 'x', x'', -0.25)"),
        ]);
        expect(await exported(t.db, false, false)).toEqual([
          "PRAGMA defer_foreign_keys=TRUE;",
          "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, data BLOB, score REAL);",
          `INSERT INTO "t" VALUES(1,'ada',X'00ff',1.5);`,
          `INSERT INTO "t" VALUES(2,NULL,NULL,NULL);`,
          `INSERT INTO "t" VALUES(3,'x',X'',-0.25);`,
        ]);
      });

      it.skipIf(needs)("quotes strings with '' and restores newlines with replace(…, char(10)) [exportPragma]", async () => {
        await t.db.exec("CREATE TABLE s (v TEXT)");
        const insert = t.db.prepare("INSERT INTO s VALUES (?)");
        await t.db.batch([insert.bind("it's"), insert.bind("a\nb"), insert.bind("a\r\nb"), insert.bind("literal \\n and\nnewline")]);
        expect((await exported(t.db, true, false)).slice(1)).toEqual([
          `INSERT INTO "s" VALUES('it''s');`,
          `INSERT INTO "s" VALUES(replace('a\\nb','\\n',char(10)));`,
          `INSERT INTO "s" VALUES(replace(replace('a\\r\\nb','\\r',char(13)),'\\n',char(10)));`,
          `INSERT INTO "s" VALUES(replace('literal \\n and\\012newline','\\012',char(10)));`,
        ]);
      });

      it.skipIf(needs)("a table whose name was quoted gets IF NOT EXISTS; names are quoted in INSERTs [exportPragma]", async () => {
        await t.db.exec('CREATE TABLE "odd ""name""" (x)');
        await t.db.prepare('INSERT INTO "odd ""name""" VALUES (1)').run();
        expect((await exported(t.db, false, false)).slice(1)).toEqual([`CREATE TABLE IF NOT EXISTS "odd ""name""" (x);`, `INSERT INTO "odd ""name""" VALUES(1);`]);
      });

      it.skipIf(needs)("indexes, triggers and views follow the tables; sqlite_sequence comes last [exportPragma]", async () => {
        await t.db.exec("CREATE TABLE a (id INTEGER PRIMARY KEY AUTOINCREMENT, v)");
        await t.db.exec("CREATE VIEW a_view AS SELECT v FROM a");
        await t.db.exec("CREATE TRIGGER a_trigger AFTER INSERT ON a BEGIN SELECT 1; END");
        await t.db.exec("CREATE INDEX a_index ON a (v)");
        await t.db.exec("CREATE TABLE b (w)");
        await t.db.prepare("INSERT INTO a (v) VALUES ('x')").run();
        expect(await exported(t.db, false, false)).toEqual([
          "PRAGMA defer_foreign_keys=TRUE;",
          "CREATE TABLE a (id INTEGER PRIMARY KEY AUTOINCREMENT, v);",
          `INSERT INTO "a" VALUES(1,'x');`,
          "CREATE TABLE b (w);",
          "DELETE FROM sqlite_sequence;",
          `INSERT INTO "sqlite_sequence" VALUES('a',1);`,
          "CREATE INDEX a_index ON a (v);",
          "CREATE TRIGGER a_trigger AFTER INSERT ON a BEGIN SELECT 1; END;",
          "CREATE VIEW a_view AS SELECT v FROM a;",
        ]);
      });

      it.skipIf(needs)("noSchema and noData leave out the schema or the rows; a table list filters tables, indexes by their own name [exportPragma]", async () => {
        await t.db.exec("CREATE TABLE a (v)");
        await t.db.exec("CREATE TABLE b (w)");
        await t.db.exec("CREATE INDEX b_index ON b (w)");
        await t.db.batch([t.db.prepare("INSERT INTO a VALUES (1)"), t.db.prepare("INSERT INTO b VALUES (2)")]);
        expect(await exported(t.db, true, false)).toEqual(["PRAGMA defer_foreign_keys=TRUE;", `INSERT INTO "a" VALUES(1);`, `INSERT INTO "b" VALUES(2);`]);
        expect(await exported(t.db, false, true)).toEqual(["PRAGMA defer_foreign_keys=TRUE;", "CREATE TABLE a (v);", "CREATE TABLE b (w);", "CREATE INDEX b_index ON b (w);"]);
        expect(await exported(t.db, false, false, "b")).toEqual(["PRAGMA defer_foreign_keys=TRUE;", "CREATE TABLE b (w);", `INSERT INTO "b" VALUES(2);`]);
        expect(await exported(t.db, false, false, "b", "b_index")).toContain("CREATE INDEX b_index ON b (w);");
      });

      it.skipIf(needs || !capabilities.cfMetadata)("workerd's _cf_METADATA is not exported [exportPragma] [cfMetadata]", async () => {
        const db = (await t.createWith({ withCfMetadata: true })).db;
        await db.exec("CREATE TABLE a (v)");
        expect(await exported(db, false, false)).toEqual(["PRAGMA defer_foreign_keys=TRUE;", "CREATE TABLE a (v);"]);
      });

      it.skipIf(needs || !capabilities.fts5)("a database with a virtual table cannot be exported [exportPragma] [fts5]", async () => {
        await t.db.exec("CREATE VIRTUAL TABLE docs USING fts5(body)");
        await expect(exported(t.db, false, false)).rejects.toThrow("D1 Export error: cannot export databases with Virtual Tables (fts5)");
      });

      it.skipIf(needs)("the export replays through batch() into an empty database with the same contents [exportPragma]", async () => {
        await t.db.exec("CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT, photo BLOB, height REAL)");
        await t.db.exec("CREATE TABLE pets (owner INTEGER REFERENCES people (id), name TEXT)");
        const person = t.db.prepare("INSERT INTO people VALUES (?, ?, ?, ?)");
        await t.db.batch([
          person.bind(1, "it's\nme", new Uint8Array([1, 2, 3]), 1.75),
          person.bind(2, null, null, 2.5),
          t.db.prepare("INSERT INTO pets VALUES (2, 'rex')"),
        ]);
        const target = (await t.createWith({})).db;
        const statements = await exported(t.db, false, false);
        await target.batch(statements.map((statement) => target.prepare(statement)));
        for (const sql of ["SELECT * FROM people ORDER BY id", "SELECT * FROM pets", "SELECT sql FROM sqlite_schema ORDER BY name"]) {
          expect(await target.prepare(sql).raw(), sql).toEqual(await t.db.prepare(sql).raw());
        }
      });
    });
  });
}
