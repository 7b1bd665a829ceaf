import { describe, expect, it } from "vitest";
import { StatementStream } from "../src/import/statement-stream.js";
import { splitStatements } from "../src/sql/statement-splitter.js";

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
  });

  it("gives each statement's span from where SQLite would start preparing it", () => {
    const sql = "SELECT 1;  \n ;; -- c\n SELECT 2;";
    const { statements } = splitStatements(sql);
    expect(statements.map((span) => [span.start, span.contentStart, span.end])).toEqual([
      [0, 0, 9],
      [13, 22, 31],
    ]);
  });

  it("reports text after the last statement that is not whitespace", () => {
    expect(splitStatements("SELECT 1;  \n").trailing).toBeUndefined();
    expect(splitStatements("SELECT 1 -- no semicolon").trailing).toBeUndefined();
    expect(splitStatements("SELECT 1; -- trailing").trailing).toEqual({ start: 10, end: 21 });
    expect(splitStatements("SELECT 1;;").trailing).toEqual({ start: 9, end: 10 });
    expect(splitStatements("-- only").statements).toEqual([]);
  });
});

describe("StatementStream", () => {
  const sql = `CREATE TABLE t (v TEXT);\n${TRIGGER}\nINSERT INTO t VALUES ('it''s; fine'), (x'00ff');\n/* multi\nline */ INSERT INTO t VALUES ('a\nb');\nSELECT 1`;

  function streamed(chunkSize: number): { text: string; line: number }[] {
    const stream = new StatementStream();
    const out: { text: string; line: number }[] = [];
    for (let i = 0; i < sql.length; i += chunkSize) out.push(...stream.push(sql.slice(i, i + chunkSize)));
    out.push(...stream.push("", true));
    return out;
  }

  it("finds the same statements, on the same lines, wherever the chunks are cut", () => {
    const whole = streamed(sql.length);
    expect(whole.map((statement) => statement.line)).toEqual([1, 2, 7, 9, 11]);
    expect(whole.map((statement) => statement.text)).toEqual(texts(sql));
    for (const size of [1, 2, 3, 7, 64]) expect(streamed(size), `chunks of ${size}`).toEqual(whole);
  });
});
