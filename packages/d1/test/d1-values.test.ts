import { describe, expect, it } from "vitest";
import { checkValueSize, toBoundValue, toResultRow, toSqlValue } from "../src/d1-values.js";

describe("toBoundValue", () => {
  it("converts as the Workers binding does", () => {
    expect(toBoundValue(1.5)).toBe(1.5);
    expect(toBoundValue("s")).toBe("s");
    expect(toBoundValue(true)).toBe(1);
    expect(toBoundValue(false)).toBe(0);
    expect(toBoundValue(null)).toBeNull();
    expect(toBoundValue([1, 2])).toEqual([1, 2]);
    expect(toBoundValue(new Uint8Array([3, 4]).buffer)).toEqual([3, 4]);
    expect(toBoundValue(new Uint8Array([9, 5, 6]).subarray(1))).toEqual([5, 6]);
    expect(toBoundValue(new Uint16Array([300]))).toEqual([300]);
  });

  it("throws D1_TYPE_ERROR with the binding's text and a cause", () => {
    expect(() => toBoundValue(undefined)).toThrow("D1_TYPE_ERROR: Type 'undefined' not supported for value 'undefined'");
    expect(() => toBoundValue(5n)).toThrow("D1_TYPE_ERROR: Type 'bigint' not supported for value '5'");
    expect(() => toBoundValue([256])).toThrow("D1_TYPE_ERROR: Type 'object' not supported for value '256'");
    try {
      toBoundValue({});
    } catch (error) {
      expect(((error as Error).cause as Error).message).toBe("Type 'object' not supported for value '[object Object]'");
    }
  });
});

describe("toSqlValue", () => {
  it("sends what the binding's JSON would: NaN and infinities as NULL, -0 as 0, byte arrays as BLOBs", () => {
    expect(toSqlValue(Number.NaN)).toBeNull();
    expect(toSqlValue(Number.NEGATIVE_INFINITY)).toBeNull();
    expect(Object.is(toSqlValue(-0), 0)).toBe(true);
    expect(toSqlValue([1, 300, 2.7])).toEqual(new Uint8Array([1, 44, 2]));
  });
});

describe("sizes and results", () => {
  it("measures strings in UTF-8 bytes against the 2,000,000-byte limit", () => {
    expect(() => checkValueSize("x".repeat(2_000_000))).not.toThrow();
    expect(() => checkValueSize("é".repeat(1_000_001))).toThrow("string or blob too big: SQLITE_TOOBIG");
    expect(() => checkValueSize(new Uint8Array(2_000_001))).toThrow("string or blob too big");
  });

  it("turns BLOBs into byte arrays in place", () => {
    const row = [1, "a", null, new Uint8Array([7, 8])];
    expect(toResultRow(row)).toBe(row);
    expect(row).toEqual([1, "a", null, [7, 8]]);
  });
});
