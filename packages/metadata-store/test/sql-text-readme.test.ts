import { describe, expect, it } from "vitest";
import { SqlLexer, TokenKind, splitStatements } from "../src/index.ts";

// The README's "SQL text" example, with its printed lines as assertions.
describe("README: SQL text", () => {
  it("splits the example script and finds its one parameter", () => {
    const script = `INSERT INTO log VALUES ('a;b'); -- a ; in a comment
CREATE TRIGGER t AFTER INSERT ON log BEGIN SELECT 1; END;
SELECT :id`;
    expect(splitStatements(script).statements.map((span) => script.slice(span.contentStart, span.end))).toEqual([
      "INSERT INTO log VALUES ('a;b');",
      "CREATE TRIGGER t AFTER INSERT ON log BEGIN SELECT 1; END;",
      "SELECT :id",
    ]);

    const sql = "SELECT :id, ':literal' -- :comment";
    const lexer = new SqlLexer(sql);
    const found: string[] = [];
    while (lexer.next()) if (lexer.kind === TokenKind.Variable) found.push(`${lexer.start} ${sql.slice(lexer.start, lexer.end)}`);
    expect(found).toEqual(["7 :id"]);
  });
});
