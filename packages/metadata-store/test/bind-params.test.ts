import { describe, expect, it } from "vitest";
import { isPlainObject, namedParams, normalizeParams } from "../src/bind-params.js";

describe("normalizeParams", () => {
  it("returns the same array when nothing needs converting", () => {
    const params = [1, "a", null, new Uint8Array(1), 2n, { a: 1 }];
    expect(normalizeParams(params)).toBe(params);
  });

  it("turns booleans into 1/0, positionally and inside a named-parameter object", () => {
    expect(normalizeParams([true, false, 3])).toEqual([1, 0, 3]);
    const named = { a: true, b: "x" };
    const result = normalizeParams([named]);
    expect(result).toEqual([{ a: 1, b: "x" }]);
    expect(named.a).toBe(true); // the caller's object is not modified
  });
});

describe("namedParams", () => {
  it("is the object when params is exactly one plain object", () => {
    const named = { a: 1 };
    expect(namedParams([named])).toBe(named);
    expect(namedParams([Object.create(null) as object])).toBeDefined();
    expect(namedParams([new Uint8Array(1)])).toBeUndefined();
    expect(namedParams([{ a: 1 }, 2])).toBeUndefined();
    expect(namedParams([])).toBeUndefined();
  });

  it("isPlainObject accepts only object literals and null-prototype objects", () => {
    expect(isPlainObject({})).toBe(true);
    expect(isPlainObject(new Date())).toBe(false);
    expect(isPlainObject([])).toBe(false);
    expect(isPlainObject(null)).toBe(false);
  });
});
