import { describe, expect, it } from "vitest";
import { SqlLexer, TokenKind, isTrivia, tokenName } from "../src/index.ts";

const NAMES = Object.fromEntries(Object.entries(TokenKind).map(([name, kind]) => [kind, name]));

function tokens(sql: string): string[] {
  const lexer = new SqlLexer(sql);
  const out: string[] = [];
  while (lexer.next()) if (lexer.kind !== TokenKind.Space) out.push(`${NAMES[lexer.kind]}:${sql.slice(lexer.start, lexer.end)}`);
  return out;
}

describe("SqlLexer", () => {
  it("reads comments, literals and quoted identifiers whole, so nothing inside them is a token", () => {
    expect(tokens("SELECT 'a;b''c' -- x;y\n, \"q;\"\"r\" /* ; */ [s;t] `u;``v`")).toEqual([
      "Word:SELECT",
      "String:'a;b''c'",
      "Comment:-- x;y",
      "Comma:,",
      'QuotedId:"q;""r"',
      "Comment:/* ; */",
      "QuotedId:[s;t]",
      "QuotedId:`u;``v`",
    ]);
  });

  it("reads blob literals, numbers and every parameter form", () => {
    expect(tokens("x'00ff' X'' 1 1.5e3 .5 0x1F 1_000 ? ?12 :a @b $c::d(e) #f")).toEqual([
      "Blob:x'00ff'",
      "Blob:X''",
      "Number:1",
      "Number:1.5e3",
      "Number:.5",
      "Number:0x1F",
      "Number:1_000",
      "Variable:?",
      "Variable:?12",
      "Variable::a",
      "Variable:@b",
      "Variable:$c::d(e)",
      "Variable:#f",
    ]);
  });

  it("reads operators, including the two- and three-character ones", () => {
    expect(tokens("a->>'$.x' || b <> c != d == e <= f >> g -> h")).toEqual([
      "Word:a",
      "Operator:->>",
      "String:'$.x'",
      "Operator:||",
      "Word:b",
      "Operator:<>",
      "Word:c",
      "Operator:!=",
      "Word:d",
      "Operator:==",
      "Word:e",
      "Operator:<=",
      "Word:f",
      "Operator:>>",
      "Word:g",
      "Operator:->",
      "Word:h",
    ]);
  });

  it("reports what SQLite calls unrecognized tokens as illegal", () => {
    expect(tokens("'open")).toEqual(["Illegal:'open"]);
    expect(tokens("x'abc'")).toEqual(["Illegal:x'abc'"]);
    expect(tokens("12abc")).toEqual(["Illegal:12abc"]);
    expect(tokens("!")).toEqual(["Illegal:!"]);
    expect(tokens(":")).toEqual(["Illegal::"]);
  });

  it("an unterminated block comment runs to the end, as in SQLite", () => {
    expect(tokens("SELECT 1 /* open")).toEqual(["Word:SELECT", "Number:1", "Comment:/* open"]);
  });

  it("on non-final text, stops before a token that may continue in the next chunk", () => {
    for (const [text, stop] of [
      ["SELECT 'abc", 7],
      ["SELECT abc", 7],
      ["SELECT 1 -- c", 9],
      ["SELECT 1 <", 9],
      ["SELECT 1 ", 8],
    ] as const) {
      const lexer = new SqlLexer(text, 0, false);
      while (lexer.next());
      expect(lexer.incomplete, text).toBe(true);
      expect(lexer.end, text).toBe(stop);
    }
    const complete = new SqlLexer("SELECT 1;", 0, false);
    while (complete.next());
    expect(complete.incomplete).toBe(false);
  });

  it("tokenName removes quotes and collapses doubled delimiters", () => {
    const name = (text: string): string => tokenName(text, 0, text.length);
    expect(name('"a""b"')).toBe('a"b');
    expect(name("[x y]")).toBe("x y");
    expect(name("`a``b`")).toBe("a`b");
    expect(name("'it''s'")).toBe("it's");
    expect(name("plain")).toBe("plain");
  });
});

describe("isTrivia", () => {
  it("is true only for what SQLite skips between tokens", () => {
    const trivia = Object.entries(TokenKind).filter(([, kind]) => isTrivia(kind)).map(([name]) => name);
    expect(trivia).toEqual(["Space", "Comment"]);
  });
});
