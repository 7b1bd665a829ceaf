import { describe, expect, it } from "vitest";
import type { SqlError } from "@cellar/metadata-store";
import type { SqlJsStatement } from "../src/sql-js-module.js";
import { scanSql } from "../src/sql-scan.js";
import { ParameterBinder } from "../src/wasm-parameters.js";
import { thrown } from "./thrown.ts";

/** Records what would reach sql.js. */
function recorder(): { statement: SqlJsStatement; bound: unknown[] } {
  const bound: unknown[] = [];
  const statement = { bind: (values: unknown) => bound.push(values) } as unknown as SqlJsStatement;
  return { statement, bound };
}

describe("ParameterBinder", () => {
  it("passes positional values through untouched when nothing needs converting", () => {
    const { statement, bound } = recorder();
    const params = [1, "a", null];
    new ParameterBinder(statement, scanSql("SELECT ?, ?, ?"), true).bind(params);
    expect(bound[0]).toBe(params);
  });

  it("converts booleans, safe bigints and undefined", () => {
    const { statement, bound } = recorder();
    new ParameterBinder(statement, scanSql("SELECT ?, ?, ?, ?"), true).bind([true, 5n, 2n ** 60n, undefined]);
    expect(bound[0]).toEqual([1, 5, 2n ** 60n, null]);
  });

  it("places named values by SQLite's parameter index", () => {
    const { statement, bound } = recorder();
    new ParameterBinder(statement, scanSql("SELECT :b, @a, :b, ?3"), true).bind([{ a: 1, b: 2, 3: 3, extra: 4 }]);
    expect(bound[0]).toEqual([2, 1, 3]);
  });

  it("rejects wrong counts, missing names and unbindable values", () => {
    const { statement } = recorder();
    const two = new ParameterBinder(statement, scanSql("SELECT ?, ?"), true);
    expect(thrown(() => two.bind([1])).message).toBe("Too few parameter values were provided");
    expect(thrown(() => two.bind([1, 2, 3])).message).toBe("Too many parameter values were provided");
    expect(thrown(() => two.bind([1, Symbol("x")])).code).toBe("ERR_SQL_MISUSE");
    const named = new ParameterBinder(statement, scanSql("SELECT :a"), true);
    expect(thrown(() => named.bind([{ b: 1 }])).message).toBe('Missing named parameter "a"');
    expect(thrown(() => named.bind([1])).code).toBe("ERR_SQL_RANGE");
  });

  it("falls back to sql.js's own binding, offering every prefix, when the count was not confirmed", () => {
    const { statement, bound } = recorder();
    new ParameterBinder(statement, scanSql("SELECT :a"), false).bind([{ a: true }]);
    expect(bound[0]).toEqual({ ":a": 1, "@a": 1, $a: 1, "?a": 1 });
  });
});
