import { describe, expect, it } from "vitest";
import { analyzeStatement, type Denial } from "../src/sql/statement-analysis.js";

function verdict(sql: string): string {
  const { beforePrepare, afterPrepare } = analyzeStatement(sql);
  const denial: Denial | undefined = beforePrepare ?? afterPrepare;
  if (denial === undefined) return "ok";
  switch (denial.kind) {
    case "read":
      return `read ${denial.table}`;
    case "function":
      return `function ${denial.name}`;
    case "error":
      return denial.message;
    default:
      return denial.kind;
  }
}

describe("analyzeStatement", () => {
  it("refuses transaction control, however written", () => {
    for (const sql of ["BEGIN", "begin immediate;", "/* x */ COMMIT", "END", "ROLLBACK TO s", "SAVEPOINT s", "RELEASE s", "EXPLAIN BEGIN"]) {
      expect(verdict(sql), sql).toBe("transaction");
    }
  });

  it("finds _cf_ tables behind quoting, case, schema prefixes, comments and string names", () => {
    const cases: [string, string][] = [
      ["SELECT * FROM _cf_KV", "read _cf_KV"],
      ["SELECT * FROM main._cf_KV", "read _cf_KV"],
      ['SELECT * FROM "main"."_CF_kv"', "read _CF_kv"],
      ["SELECT * FROM [_cf_KV] k", "read _cf_KV"],
      ["SELECT * FROM `_cf_KV`", "read _cf_KV"],
      ["SELECT * FROM '_cf_KV'", "read _cf_KV"],
      ["SELECT * FROM a, /* c */ _cf_KV", "read _cf_KV"],
      ["SELECT * FROM a LEFT JOIN b ON a.x = b.x, main._cf_KV", "read _cf_KV"],
      ["SELECT * FROM a JOIN (b JOIN _cf_KV)", "read _cf_KV"],
      ["SELECT (SELECT value FROM _cf_KV)", "read _cf_KV"],
      ["SELECT 1 WHERE x IN _cf_KV", "read _cf_KV"],
      ["INSERT INTO _cf_KV VALUES (1)", "not-authorized"],
      ["insert or replace into main.[_cf_kv] values (1)", "not-authorized"],
      ["UPDATE OR IGNORE _cf_KV SET v = 1", "not-authorized"],
      ["DELETE FROM \"_cf_KV\"", "not-authorized"],
      ["DROP TABLE IF EXISTS _cf_KV", "not-authorized"],
      ["CREATE TABLE _cf_x (a)", "not-authorized"],
      ["CREATE INDEX i ON _cf_KV (a)", "not-authorized"],
      ["ALTER TABLE t RENAME TO _cf_t", "not-authorized"],
      ["CREATE TRIGGER tr AFTER INSERT ON t BEGIN DELETE FROM _cf_KV; END", "not-authorized"],
    ];
    for (const [sql, expected] of cases) expect(verdict(sql), sql).toBe(expected);
  });

  it("lets through names and keywords that are only text", () => {
    for (const sql of [
      "SELECT '_cf_KV', \"_cf_col\" FROM t",
      "SELECT 1 -- FROM _cf_KV; BEGIN",
      "SELECT 1 /* ATTACH; PRAGMA journal_mode */",
      "INSERT INTO t VALUES ('BEGIN; DROP TABLE _cf_KV')",
      "CREATE TABLE cf_x (_cf_col)",
      "SELECT * FROM x_cf_",
      "SELECT * FROM _cfx",
      "SELECT a IS NOT DISTINCT FROM _cf_col FROM t",
      "UPDATE t SET v = 1 FROM u WHERE u.id = t.id",
      "INSERT INTO t (a) VALUES (1) ON CONFLICT (a) DO UPDATE SET a = excluded.a",
    ]) {
      expect(verdict(sql), sql).toBe("ok");
    }
  });

  it("refuses ATTACH, TEMP objects and virtual tables other than FTS5 and R*Tree", () => {
    expect(verdict("ATTACH 'x' AS y")).toBe("not-authorized");
    expect(verdict("DETACH y")).toBe("not-authorized");
    expect(verdict("CREATE TEMP TABLE t (a)")).toBe("not-authorized");
    expect(verdict("CREATE TABLE temp.t (a)")).toBe("not-authorized");
    expect(verdict("CREATE VIRTUAL TABLE v USING csv(a)")).toBe("not-authorized");
    expect(verdict("CREATE VIRTUAL TABLE v USING FTS5(a)")).toBe("ok");
    expect(verdict("CREATE VIRTUAL TABLE v USING rtree(id, x0, x1)")).toBe("ok");
  });

  it("judges PRAGMAs by the allow-list and their argument, before the engine sees them", () => {
    const ok = ["PRAGMA table_list", "PRAGMA table_info(t)", "PRAGMA foreign_keys = off", "PRAGMA defer_foreign_keys='1'", "PRAGMA quick_check(10)", "PRAGMA optimize(-1)", "PRAGMA main.index_list = t;"];
    for (const sql of ok) expect(verdict(sql), sql).toBe("ok");
    const refused = ["PRAGMA journal_mode", "PRAGMA table_info", "PRAGMA table_info(_cf_KV)", "PRAGMA data_version = 2", "PRAGMA foreign_keys = sometimes", "PRAGMA temp.table_list", "PRAGMA Foreign_Keys"];
    for (const sql of refused) {
      expect(analyzeStatement(sql).beforePrepare, sql).toEqual({ kind: "not-authorized" });
    }
    // Left to the engine: a syntax error, or an unknown schema.
    expect(analyzeStatement("PRAGMA").beforePrepare).toBeUndefined();
    expect(analyzeStatement("PRAGMA other.table_list").beforePrepare).toBeUndefined();
  });

  it("tells function calls from tables, column lists, types and CTEs", () => {
    expect(verdict("SELECT sqlite_version()")).toBe("function sqlite_version");
    expect(verdict('SELECT "sqlite_source_id"()')).toBe("function sqlite_source_id");
    expect(verdict("SELECT a FROM t WHERE abs(a) > ceiling(b)")).toBe("function ceiling");
    for (const sql of [
      "CREATE TABLE t (a VARCHAR(10), b DECIMAL(10, 2), CHECK (length(a) > 0))",
      "INSERT INTO t(a, b) VALUES (lower('A'), upper('b'))",
      "WITH x(a) AS (SELECT 1), y(b) AS (SELECT 2) SELECT * FROM x, y",
      "SELECT * FROM json_each('[1]') AS j, pragma_table_info('t')",
      "CREATE INDEX i ON t(a, lower(b))",
      "SELECT CAST(a AS NUMERIC(10)) FROM t",
      "CREATE VIRTUAL TABLE f USING fts5(title, body)",
      "SELECT x FROM t WHERE x LIKE ('a%') ESCAPE '\\'",
      "SELECT count(*), group_concat(a, ','), json_object('k', 1) -> '$.k' FROM t",
    ]) {
      expect(verdict(sql), sql).toBe("ok");
    }
  });

  it("counts function arguments (at most 32) and compound terms (at most 5)", () => {
    const args = (n: number): string => Array.from({ length: n }, (_, i) => i).join(", ");
    expect(verdict(`SELECT json_array(${args(32)})`)).toBe("ok");
    expect(verdict(`SELECT json_array(${args(33)})`)).toBe("too many arguments on function json_array");
    expect(verdict(`SELECT max(1, json_array(${args(33)}))`)).toBe("too many arguments on function json_array");
    const compound = (n: number): string => Array.from({ length: n }, (_, i) => `SELECT ${i}`).join(" UNION ");
    expect(verdict(compound(5))).toBe("ok");
    expect(verdict(compound(6))).toBe("too many terms in compound SELECT");
    expect(verdict(`SELECT * FROM (${compound(5)}) UNION ${compound(5)}`)).toBe("too many terms in compound SELECT");
  });

  it("counts a new table's columns, not its constraints", () => {
    const columns = (n: number): string => Array.from({ length: n }, (_, i) => `c${i} INT`).join(", ");
    expect(verdict(`CREATE TABLE t (${columns(100)}, PRIMARY KEY (c0), UNIQUE (c1), CHECK (c2 > 0))`)).toBe("ok");
    expect(verdict(`CREATE TABLE t (${columns(101)})`)).toBe("too many columns on t");
  });

  it("knows which statements can only read", () => {
    expect(analyzeStatement("SELECT 1").readOnly).toBe(true);
    expect(analyzeStatement("VALUES (1)").readOnly).toBe(true);
    expect(analyzeStatement("WITH a AS (SELECT 1) SELECT replace(x, 'a', 'b') FROM a").readOnly).toBe(true);
    expect(analyzeStatement("WITH a AS (SELECT 1) DELETE FROM t").readOnly).toBe(false);
    expect(analyzeStatement("INSERT INTO t SELECT 1").readOnly).toBe(false);
    expect(analyzeStatement("PRAGMA table_list").readOnly).toBe(false);
    expect(analyzeStatement("EXPLAIN QUERY PLAN DELETE FROM t").readOnly).toBe(true);
  });
});
