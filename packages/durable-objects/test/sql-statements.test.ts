import { describe, expect, it } from "vitest";
import { planParameters } from "../src/sql-rules.js";
import { splitSqlStatements } from "../src/sql-statements.js";

const texts = (sql: string): string[] => splitSqlStatements(sql).map((statement) => statement.text);

describe("splitSqlStatements", () => {
  it("gives each statement from its first token to its ; (excluded), dropping comments and empty statements", () => {
    const sql = "-- lead\n SELECT 1 /* c */ ;; SELECT ';' ; -- tail";
    expect(splitSqlStatements(sql).map(({ text, start }) => ({ text, start }))).toEqual([
      { text: "SELECT 1 /* c */ ", start: 9 },
      { text: "SELECT ';' ", start: 29 },
    ]);
    expect(texts("-- only a comment;\n;")).toEqual([]);
    expect(texts("SELECT 1 -- ;")).toEqual(["SELECT 1 -- ;"]);
  });

  it("lists tokens without whitespace or comments, with values the rules compare", () => {
    const [statement] = splitSqlStatements(`select "a""b", [c d], 'it''s', x'0f', 1.5, :p /* x */ ->> 2`);
    expect(statement!.tokens.map(({ kind, value, offset }) => `${kind}:${value}@${offset}`)).toEqual([
      "word:SELECT@0",
      'quoted:a"b@7',
      "punct:,@13",
      "quoted:c d@15",
      "punct:,@20",
      "string:it's@22",
      "punct:,@29",
      "blob:0f@31",
      "punct:,@36",
      "number:1.5@38",
      "punct:,@41",
      "param::p@43",
      "punct:->>@54",
      "number:2@58",
    ]);
  });

  // The previous tokenizer closed a trigger body by counting END against BEGIN and CASE, so a
  // column named `end` split the trigger; SQLite (sqlite3_complete) ends it only at `; END`.
  it("keeps a trigger whose body uses END as a name in one statement", () => {
    const trigger = "CREATE TRIGGER t_end AFTER INSERT ON t BEGIN UPDATE t SET end = new.a; END";
    expect(texts(`${trigger}; SELECT 1`)).toEqual([trigger, "SELECT 1"]);
  });

  it("reads #name as a parameter, as SQLite does, but not the #1 register syntax", () => {
    const [named] = splitSqlStatements("SELECT #a, #a, ?");
    expect(planParameters(named!)).toEqual({ count: 2, sql: "SELECT ?1, ?1, ?2", numbered: true });
    const [register] = splitSqlStatements("SELECT #1");
    expect(register!.tokens.map((token) => token.kind)).toEqual(["word", "punct"]);
    expect(planParameters(register!)).toEqual({ count: 0, sql: "SELECT #1", numbered: false });
  });
});
