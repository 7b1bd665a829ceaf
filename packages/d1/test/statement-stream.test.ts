import { splitStatements } from "@cellar/metadata-store";
import { describe, expect, it } from "vitest";
import { StatementStream } from "../src/import/statement-stream.js";
import * as d1 from "../src/index.js";

function texts(sql: string): string[] {
  return splitStatements(sql).statements.map((span) => sql.slice(span.contentStart, span.end));
}

const TRIGGER = `CREATE TRIGGER log_it AFTER INSERT ON t
BEGIN
  INSERT INTO log VALUES ('a;b'); -- ; in a comment
  UPDATE t SET v = CASE WHEN new.v > 0 THEN 1 ELSE 2 END;
END;`;

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

describe("public exports", () => {
  it("still exports splitStatements, now shared with @cellar/metadata-store", () => {
    expect(d1.splitStatements).toBe(splitStatements);
  });
});
