import { describe, expect, it } from "vitest";
import { statementParameters } from "../src/sql/statement-parameters.js";

describe("statementParameters", () => {
  it("counts plain ? and leaves such statements as they are", () => {
    expect(statementParameters("SELECT ?, ? WHERE '?' = ? -- ?")).toEqual({ count: 3, rewrite: undefined, error: undefined });
  });

  it("numbers ?NNN and names as SQLite does, and rewrites them to positional ?", () => {
    expect(statementParameters("SELECT :b, :a, :b, ?5, ?")).toEqual({
      count: 6,
      rewrite: { text: "SELECT ?, ?, ?, ?, ?", order: [1, 2, 1, 5, 6] },
      error: undefined,
    });
    expect(statementParameters("SELECT ?2, ?1, @x, $y")?.rewrite?.order).toEqual([2, 1, 3, 4]);
  });

  it("reports the limits with SQLite's messages and the offending token's offset", () => {
    expect(statementParameters(`SELECT ${"?,".repeat(100)}?`).error).toEqual({ message: "too many SQL variables", offset: 207 });
    expect(statementParameters("SELECT ?101").error).toEqual({ message: "variable number must be between ?1 and ?100", offset: 7 });
    expect(statementParameters("SELECT ?0").error?.message).toBe("variable number must be between ?1 and ?100");
    expect(statementParameters("SELECT ?100").error).toBeUndefined();
  });
});
