import { describe, expect, it } from "vitest";
import { isBlankSql, scanSql } from "../src/sql-scan.js";

describe("scanSql", () => {
  it("numbers anonymous, numbered and named parameters as SQLite does", () => {
    expect(scanSql("SELECT ?, ?, ?").names).toEqual([undefined, undefined, undefined, undefined]);
    const mixed = scanSql("SELECT ?, :a, ?5, @b, :a, $c, ?");
    // A reused name keeps its index; `?` after `?5` continues from the largest index so far.
    expect(mixed.parameterCount).toBe(8);
    expect(mixed.names).toEqual([undefined, undefined, ":a", undefined, undefined, "?5", "@b", "$c", undefined]);
  });

  it("ignores markers inside strings, quoted identifiers and comments", () => {
    const shape = scanSql(`SELECT '?', 'it''s :x', "a?", [b:c], \`d@e\`, ? -- :y ?
      /* ? $z */ FROM t`);
    expect(shape.parameterCount).toBe(1);
  });

  it("keeps $ inside identifiers and reads TCL-style $a::b(c) as one name", () => {
    expect(scanSql("SELECT a$b, $x::y(z) + 1").names).toEqual([undefined, "$x::y(z)"]);
  });

  it("reports the first keyword and RETURNING", () => {
    expect(scanSql("  -- hi\n select 1")).toMatchObject({ firstWord: "SELECT", returning: false });
    expect(scanSql("INSERT INTO t VALUES (1) RETURNING id")).toMatchObject({ firstWord: "INSERT", returning: true });
    expect(scanSql("SELECT 'returning'")).toMatchObject({ returning: false });
    expect(scanSql("pragma user_version")).toMatchObject({ firstWord: "PRAGMA" });
  });
});

describe("isBlankSql", () => {
  it("accepts only whitespace, semicolons and comments", () => {
    for (const tail of ["", " ;; ", "-- x", "/* y */\n;", "-- a\n/* b */"]) expect(isBlankSql(tail)).toBe(true);
    for (const tail of ["SELECT 2", "; x", "/* y */ z"]) expect(isBlankSql(tail)).toBe(false);
  });
});
