import { describe, expect, it } from "vitest";
import { StatementScanner, splitStatements, type StatementSpan } from "../src/index.ts";

function texts(sql: string): string[] {
  return splitStatements(sql).statements.map((span) => sql.slice(span.contentStart, span.end));
}

const TRIGGER = `CREATE TRIGGER log_it AFTER INSERT ON t
BEGIN
  INSERT INTO log VALUES ('a;b'); -- ; in a comment
  UPDATE t SET v = CASE WHEN new.v > 0 THEN 1 ELSE 2 END;
END;`;

describe("splitStatements", () => {
  it("splits on ; outside literals, identifiers and comments", () => {
    expect(texts("SELECT ';'; SELECT \";\" /* ; */; SELECT [;] -- ;\n;SELECT 4")).toEqual([
      "SELECT ';';",
      'SELECT ";" /* ; */;',
      "SELECT [;] -- ;\n;",
      "SELECT 4",
    ]);
  });

  it("keeps a trigger body, with its inner ; and CASE … END, in one statement", () => {
    expect(texts(`${TRIGGER}\nSELECT 1;`)).toEqual([TRIGGER, "SELECT 1;"]);
    expect(texts("create temp trigger x before delete on t begin select 1; select 2; end; select 3")).toHaveLength(2);
    expect(texts("EXPLAIN CREATE TRIGGER x AFTER INSERT ON t BEGIN SELECT 1; END; SELECT 2")).toHaveLength(2);
  });

  // SQLite's END fallback makes `end` usable as a column name, so counting END keywords against
  // BEGIN and CASE ends a trigger too early; sqlite3_complete ends it only at `; END ;`.
  it("ends a trigger body only at `; END`, even when END appears as a name inside it", () => {
    const trigger = "CREATE TRIGGER t_end AFTER INSERT ON t BEGIN UPDATE t SET end = 1; UPDATE t SET a = end; END;";
    expect(texts(`${trigger} SELECT 1`)).toEqual([trigger, "SELECT 1"]);
  });

  it("gives each statement's span from where SQLite would start preparing it", () => {
    const sql = "SELECT 1;  \n ;; -- c\n SELECT 2;";
    const { statements } = splitStatements(sql);
    expect(statements.map((span) => [span.start, span.contentStart, span.end])).toEqual([
      [0, 0, 9],
      [13, 22, 31],
    ]);
  });

  it("says whether a statement has its own ;, which a final ; in a comment is not", () => {
    const terminated = (sql: string): boolean[] => splitStatements(sql).statements.map((span) => span.terminated);
    expect(terminated("SELECT 1; SELECT 2")).toEqual([true, false]);
    expect(terminated("SELECT 1 -- ;")).toEqual([false]);
    expect(terminated("CREATE TRIGGER x AFTER INSERT ON t BEGIN SELECT 1;")).toEqual([false]);
  });

  it("treats only SQLite's whitespace as whitespace: a vertical tab or no-break space is a token", () => {
    expect(texts("\vSELECT 1")).toEqual(["\vSELECT 1"]);
    expect(texts("\u00a0SELECT 1")).toEqual(["\u00a0SELECT 1"]);
    // workerd skips C's isspace (vertical tab included) after a statement's `;`.
    expect(splitStatements("SELECT 1;\v\n").trailing).toBeUndefined();
  });

  it("reports text after the last statement that is not whitespace", () => {
    expect(splitStatements("SELECT 1;  \n").trailing).toBeUndefined();
    expect(splitStatements("SELECT 1 -- no semicolon").trailing).toBeUndefined();
    expect(splitStatements("SELECT 1; -- trailing").trailing).toEqual({ start: 10, end: 21 });
    expect(splitStatements("SELECT 1;;").trailing).toEqual({ start: 9, end: 10 });
    expect(splitStatements("-- only").statements).toEqual([]);
  });
});

describe("StatementScanner", () => {
  it("finds the same statements in chunks as in the whole text, wherever the chunks are cut", () => {
    const sql = `CREATE TABLE t (v TEXT);\n${TRIGGER}\nINSERT INTO t VALUES ('it''s; fine'), (x'00ff');\n/* c */ SELECT 1`;
    const whole = texts(sql);
    for (const size of [1, 2, 5, 13]) {
      const scanner = new StatementScanner();
      const found: string[] = [];
      let seen = "";
      for (let i = 0; i < sql.length; i += size) {
        seen += sql.slice(i, i + size);
        scanner.scan(seen, false, (span: StatementSpan) => found.push(seen.slice(span.contentStart, span.end)));
      }
      scanner.scan(seen, true, (span) => found.push(seen.slice(span.contentStart, span.end)));
      expect(found, `chunks of ${size}`).toEqual(whole);
    }
  });
});
