import { describe, expect, it } from "vitest";
import type { DescribeD1Options } from "./d1-fixture.js";
import { d1Error, expectD1Error, expectD1ErrorMatching } from "./d1-expect.js";
import { useD1TestContext } from "./d1-test-context.js";

const TRANSACTION_REFUSED = d1Error(
  "To execute a transaction, please use the state.storage.transaction() or state.storage.transactionSync() APIs instead of the SQL BEGIN TRANSACTION or SAVEPOINT statements. The JavaScript API is safer because it will automatically roll back on exceptions, and because it interacts correctly with Durable Objects' automatic atomic write coalescing.",
);
const NOT_AUTHORIZED = d1Error("not authorized: SQLITE_AUTH");

/**
 * The runtime's authorizer: transactions, ATTACH, PRAGMAs, the `_cf_` namespace, functions, TEMP
 * objects, virtual table modules; and that none of it is fooled by comments, literals, quoting,
 * case or schema prefixes, nor triggered by keywords that are only text.
 */
export function describeD1Restrictions(options: DescribeD1Options): void {
  const capabilities = options.capabilities ?? {};
  describe(options.name, () => {
    describe("restrictions", () => {
      const t = useD1TestContext(options);

      it("transaction statements are refused with the runtime's message, however written", async () => {
        await t.db.exec("CREATE TABLE items (name TEXT)");
        for (const sql of [
          "BEGIN",
          "BEGIN TRANSACTION",
          "begin immediate",
          "/* first */ Begin Deferred;",
          "COMMIT",
          "END TRANSACTION",
          "ROLLBACK",
          "SAVEPOINT sp",
          "RELEASE sp",
          "ROLLBACK TO sp",
          "EXPLAIN BEGIN",
        ]) {
          await expectD1Error(t.db.prepare(sql).run(), TRANSACTION_REFUSED);
        }
      });

      it("a transaction statement after a write in the same query is refused, and the write rolled back", async () => {
        await t.db.exec("CREATE TABLE items (name TEXT)");
        await expectD1Error(t.db.prepare("INSERT INTO items VALUES ('a'); COMMIT;").run(), TRANSACTION_REFUSED);
        await expectD1Error(t.db.batch([t.db.prepare("INSERT INTO items VALUES ('a')"), t.db.prepare("SAVEPOINT x")]), TRANSACTION_REFUSED);
        expect(await t.db.prepare("SELECT count(*) AS n FROM items").first("n")).toBe(0);
      });

      it("ATTACH and DETACH are not authorized", async () => {
        await expectD1Error(t.db.prepare("ATTACH DATABASE ':memory:' AS other").run(), NOT_AUTHORIZED);
        await expectD1Error(t.db.prepare("attach ':memory:' as other").run(), NOT_AUTHORIZED);
        await expectD1Error(t.db.prepare("DETACH DATABASE other").run(), NOT_AUTHORIZED);
      });

      it("the allowed PRAGMAs run", async () => {
        await t.db.exec("CREATE TABLE items (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES items (id), name TEXT)");
        await t.db.exec("CREATE INDEX items_name ON items (name)");
        for (const sql of [
          "PRAGMA table_list",
          "PRAGMA table_info(items)",
          "PRAGMA table_xinfo('items')",
          "PRAGMA main.table_info = items",
          "PRAGMA foreign_keys",
          "PRAGMA foreign_keys = ON",
          "PRAGMA defer_foreign_keys = true",
          "PRAGMA case_sensitive_like = 0",
          "PRAGMA ignore_check_constraints = off",
          "PRAGMA legacy_alter_table = 'no'",
          "PRAGMA recursive_triggers = yes",
          "PRAGMA reverse_unordered_selects = false",
          "PRAGMA foreign_key_check",
          "PRAGMA foreign_key_check(items)",
          "PRAGMA foreign_key_list(items)",
          "PRAGMA index_list(items)",
          "PRAGMA index_info(items_name)",
          "PRAGMA index_xinfo(items_name)",
          "PRAGMA quick_check",
          "PRAGMA quick_check(5)",
          "PRAGMA optimize",
          "PRAGMA data_version",
        ]) {
          const result = await t.db.prepare(sql).all();
          expect(result.success, sql).toBe(true);
        }
        const columns = await t.db.prepare("PRAGMA table_info(items)").all();
        expect(columns.results.map((column) => (column as { name: string }).name)).toEqual(["id", "parent", "name"]);
      });

      it("other PRAGMAs, or allowed ones with arguments they do not take, are not authorized", async () => {
        for (const sql of [
          "PRAGMA journal_mode",
          "PRAGMA journal_mode = DELETE",
          "PRAGMA user_version",
          "PRAGMA user_version = 5",
          "PRAGMA main.user_version = 5",
          'PRAGMA "user_version" = 5',
          "pragma /* comment */ user_version\n= 5",
          "PRAGMA page_count",
          "PRAGMA writable_schema = ON",
          "PRAGMA max_page_count = 100000000",
          "PRAGMA busy_timeout = 0",
          "PRAGMA temp.table_list",
          "PRAGMA data_version = 1",
          "PRAGMA foreign_keys = maybe",
          "PRAGMA optimize = 'all'",
          "PRAGMA table_info",
          "PRAGMA no_such_pragma",
          // The runtime matches names exactly, as SQLite hands them over.
          "PRAGMA FOREIGN_KEYS",
          "PRAGMA Table_List",
        ]) {
          await expectD1Error(t.db.prepare(sql).all(), NOT_AUTHORIZED);
        }
        // Refused before it could take effect.
        expect(await t.db.prepare("SELECT * FROM pragma_user_version").first("user_version")).toBe(0);
      });

      it("tables named _cf_* cannot be created, however the name is quoted, cased or qualified", async () => {
        await t.db.exec("CREATE TABLE items (a)");
        for (const sql of [
          "CREATE TABLE _cf_x (a)",
          'CREATE TABLE "_cf_x" (a)',
          "CREATE TABLE [_CF_x] (a)",
          "CREATE TABLE `_Cf_x` (a)",
          "CREATE TABLE '_cf_x' (a)",
          "CREATE TABLE main._cf_x (a)",
          'CREATE TABLE "main"."_cf_x" (a)',
          "CREATE TABLE IF NOT EXISTS _cf_x (a)",
          "CREATE/**/TABLE/**/_cf_x(a)",
          "CREATE\nTABLE -- comment\n_cf_x (a)",
          "CREATE TABLE _cf_x AS SELECT 1 AS a",
          "CREATE INDEX _cf_index ON items (a)",
          "CREATE VIEW _cf_view AS SELECT 1",
          "CREATE TRIGGER _cf_trigger AFTER INSERT ON items BEGIN SELECT 1; END",
          "ALTER TABLE items RENAME TO _cf_items",
          "ALTER TABLE items RENAME TO \"_CF_items\"",
        ]) {
          await expectD1Error(t.db.prepare(sql).run(), NOT_AUTHORIZED);
        }
        const tables = await t.db.prepare("SELECT name FROM sqlite_schema ORDER BY name").raw();
        expect(tables).toEqual([["items"]]);
      });

      it.skipIf(!capabilities.cfMetadata)("_cf_METADATA cannot be read, and the refusal names the column [cfMetadata]", async () => {
        const db = (await t.createWith({ withCfMetadata: true })).db;
        await db.exec("CREATE TABLE items (a)");
        const key = d1Error("access to _cf_METADATA.key is prohibited: SQLITE_AUTH");
        const value = d1Error("access to _cf_METADATA.value is prohibited: SQLITE_AUTH");
        for (const sql of [
          "SELECT * FROM _cf_METADATA",
          "SELECT key FROM main._cf_METADATA",
          'SELECT * FROM "_CF_metadata"',
          "SELECT * FROM [_cf_METADATA] AS m",
          "SELECT * FROM items, _cf_METADATA",
          "SELECT * FROM items JOIN _cf_METADATA ON 1",
          "SELECT * FROM items LEFT JOIN (_cf_METADATA) ON 1",
          "SELECT * FROM '_cf_METADATA'",
        ]) {
          await expectD1Error(db.prepare(sql).all(), key);
        }
        await expectD1Error(db.prepare("SELECT value FROM _cf_METADATA").all(), value);
        await expectD1Error(db.prepare("SELECT (SELECT value FROM _cf_METADATA WHERE key = 2) AS v").all(), value);
        await expectD1Error(db.prepare("INSERT INTO items SELECT value FROM _cf_METADATA").run(), value);
        await expectD1Error(db.prepare("WITH m AS (SELECT * FROM _cf_METADATA) SELECT * FROM m").all(), key);
      });

      it.skipIf(!capabilities.cfMetadata)("_cf_METADATA cannot be written, dropped or altered, yet it is listed in sqlite_schema [cfMetadata]", async () => {
        const db = (await t.createWith({ withCfMetadata: true })).db;
        for (const sql of [
          "INSERT INTO _cf_METADATA VALUES (9, 'x')",
          "REPLACE INTO main.\"_cf_METADATA\" VALUES (2, 0)",
          "INSERT OR IGNORE INTO _CF_METADATA (key) VALUES (9)",
          "UPDATE _cf_METADATA SET value = 0",
          "UPDATE OR REPLACE [_cf_METADATA] SET value = 0",
          "DELETE FROM _cf_METADATA",
          "DROP TABLE _cf_METADATA",
          "DROP TABLE IF EXISTS main._cf_METADATA",
          "ALTER TABLE _cf_METADATA ADD COLUMN extra",
          "CREATE INDEX metadata_value ON _cf_METADATA (value)",
          "CREATE TRIGGER t AFTER DELETE ON _cf_METADATA BEGIN SELECT 1; END",
          "PRAGMA table_info(_cf_METADATA)",
          "PRAGMA index_list('_cf_METADATA')",
        ]) {
          await expectD1Error(db.prepare(sql).run(), NOT_AUTHORIZED);
        }
        expect(await db.prepare("SELECT name FROM sqlite_schema WHERE name LIKE '\\_cf\\_%' ESCAPE '\\'").raw()).toEqual([["_cf_METADATA"]]);
      });

      it("keywords inside strings, comments and quoted identifiers are only text", async () => {
        await t.db.exec('CREATE TABLE "begin" ("_cf_column" TEXT, [savepoint] INTEGER, `attach` TEXT)');
        const statements = [
          "INSERT INTO \"begin\" VALUES ('BEGIN; ATTACH x; PRAGMA user_version = 1; DROP TABLE _cf_METADATA; --', 1, 'x')",
          "INSERT INTO \"begin\" VALUES ('it''s _cf_METADATA', 2, 'FROM _cf_x')",
          "SELECT 1 AS x /* ; BEGIN; PRAGMA journal_mode; */",
          "SELECT 1 AS x -- ; COMMIT",
          "SELECT '_cf_METADATA' AS name, \"_cf_column\", [savepoint] FROM \"begin\" WHERE `attach` <> 'SAVEPOINT s'",
          "SELECT x'5f63665f' AS bytes",
          "CREATE TABLE x_cf_ (a)",
          "CREATE TABLE cf_x (a)",
          "CREATE TABLE _cfx (a)",
        ];
        for (const sql of statements) {
          const result = await t.db.prepare(sql).all();
          expect(result.success, sql).toBe(true);
        }
        expect(await t.db.prepare('SELECT count(*) AS n FROM "begin"').first("n")).toBe(2);
      });

      it("functions outside the runtime's allow-list are not authorized", async () => {
        for (const [sql, name] of [
          ["SELECT sqlite_version()", "sqlite_version"],
          ["SELECT SQLITE_SOURCE_ID()", "SQLITE_SOURCE_ID"],
          ['SELECT "sqlite_version"()', "sqlite_version"],
          ["SELECT 1 WHERE sqlite_compileoption_used('THREADSAFE')", "sqlite_compileoption_used"],
        ] as const) {
          await expectD1ErrorMatching(
            t.db.prepare(sql).all(),
            new RegExp(`^D1_ERROR: not authorized to use function: ${name}( at offset \\d+)?: SQLITE_ERROR$`),
          );
        }
        const allowed = await t.db
          .prepare("SELECT abs(-1) AS a, lower('X') AS b, json_extract('{\"k\":2}', '$.k') AS c, date('2024-01-02') AS d, count(*) AS e, coalesce(NULL, 3) AS f")
          .first();
        expect(allowed).toEqual({ a: 1, b: "x", c: 2, d: "2024-01-02", e: 1, f: 3 });
        expect(await t.db.prepare("SELECT sqlite_version FROM (SELECT 1 AS sqlite_version)").first("sqlite_version")).toBe(1);
      });

      it("TEMP tables, views and triggers are not authorized", async () => {
        for (const sql of ["CREATE TEMP TABLE scratch (a)", "CREATE TEMPORARY VIEW v AS SELECT 1", "CREATE TABLE temp.scratch (a)"]) {
          await expectD1Error(t.db.prepare(sql).run(), NOT_AUTHORIZED);
        }
      });

      it("virtual tables other than FTS5 and R*Tree are not authorized", async () => {
        await expectD1Error(t.db.prepare("CREATE VIRTUAL TABLE v USING no_such_module(a)").run(), NOT_AUTHORIZED);
      });

      it.skipIf(!capabilities.fts5)("FTS5 full-text search works [fts5]", async () => {
        await t.db.exec("CREATE VIRTUAL TABLE docs USING fts5(title, body)");
        const insert = t.db.prepare("INSERT INTO docs (title, body) VALUES (?, ?)");
        await t.db.batch([insert.bind("one", "the quick brown fox"), insert.bind("two", "lazy dogs sleep")]);
        const hits = await t.db.prepare("SELECT title, highlight(docs, 1, '[', ']') AS h FROM docs WHERE docs MATCH ? ORDER BY bm25(docs)").bind("quick").all();
        expect(hits.results).toEqual([{ title: "one", h: "the [quick] brown fox" }]);
      });

      it("foreign keys are enforced, and PRAGMA foreign_keys = OFF has no effect inside the request's transaction", async () => {
        await t.db.exec("CREATE TABLE parent (id INTEGER PRIMARY KEY)");
        await t.db.exec("CREATE TABLE child (parent INTEGER REFERENCES parent (id))");
        const violation = d1Error("FOREIGN KEY constraint failed: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_FOREIGNKEY)");
        await expectD1Error(t.db.prepare("INSERT INTO child VALUES (1)").run(), violation);
        await t.db.prepare("PRAGMA foreign_keys = OFF").run();
        await expectD1Error(t.db.prepare("INSERT INTO child VALUES (1)").run(), violation);
        await expectD1Error(t.db.batch([t.db.prepare("PRAGMA foreign_keys = OFF"), t.db.prepare("INSERT INTO child VALUES (1)")]), violation);
      });

      it("defer_foreign_keys moves checks to the commit; a violation left at commit rolls back with the runtime's message", async () => {
        await t.db.exec("CREATE TABLE parent (id INTEGER PRIMARY KEY)");
        await t.db.exec("CREATE TABLE child (parent INTEGER REFERENCES parent (id))");
        await t.db.batch([
          t.db.prepare("PRAGMA defer_foreign_keys = ON"),
          t.db.prepare("INSERT INTO child VALUES (1)"),
          t.db.prepare("INSERT INTO parent VALUES (1)"),
        ]);
        await expectD1ErrorMatching(
          t.db.batch([t.db.prepare("PRAGMA defer_foreign_keys = ON"), t.db.prepare("INSERT INTO child VALUES (2)")]),
          /^D1_ERROR: Durable Object was reset and rolled back to its last known good state because the application left the database in a state where constraints were violated: FOREIGN KEY constraint failed/,
        );
        expect(await t.db.prepare("SELECT parent FROM child").raw()).toEqual([[1]]);
      });
    });
  });
}
