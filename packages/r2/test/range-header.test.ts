import { describe, expect, it } from "vitest";
import { parseRangeHeader } from "../src/range-header.js";
import { resolveRange, parseRangeOption } from "../src/range-options.js";

describe("parseRangeHeader", () => {
  it("honours one satisfiable range, clamping its end", () => {
    expect(parseRangeHeader("bytes=0-4", 11)).toEqual({ start: 0, end: 4 });
    expect(parseRangeHeader("bytes=6-", 11)).toEqual({ start: 6, end: 10 });
    expect(parseRangeHeader("bytes=-5", 11)).toEqual({ start: 6, end: 10 });
    expect(parseRangeHeader("bytes=8-100", 11)).toEqual({ start: 8, end: 10 });
    expect(parseRangeHeader(" BYTES = 1 - 2 ", 11)).toEqual({ start: 1, end: 2 });
  });

  it("means the whole object for everything else", () => {
    for (const header of ["bytes=-11", "bytes=-12", "bytes=-0", "bytes=0-1,3-4", "items=0-1", "bytes=4-2", "bytes=50-60", "bytes=11-", "bytes=", "bytes=a-b", "0-1"]) {
      expect(parseRangeHeader(header, 11), header).toBeUndefined();
    }
    expect(parseRangeHeader("bytes=0-0", 0)).toBeUndefined();
  });
});

describe("resolveRange", () => {
  const resolve = (range: object, size = 11) => resolveRange(parseRangeOption(range), size);

  it("resolves offsets, lengths and suffixes to inclusive ranges", () => {
    expect(resolve({ offset: 8, length: 100 })).toEqual({ start: 8, end: 10 });
    expect(resolve({ suffix: 100 })).toEqual({ start: 0, end: 10 });
    expect(resolve({ length: 1 })).toEqual({ start: 0, end: 0 });
    expect(resolveRange(undefined, 11)).toBeUndefined();
  });

  it("rejects unsatisfiable ranges with 10039", () => {
    for (const range of [{ offset: 11 }, { offset: 100 }, { length: 0 }, { suffix: 0 }]) {
      expect(() => resolve(range), JSON.stringify(range)).toThrow("get: The requested range is not satisfiable (10039)");
    }
    for (const range of [{ offset: 0 }, { length: 5 }, { suffix: 3 }]) {
      expect(() => resolve(range, 0), JSON.stringify(range)).toThrow("(10039)");
    }
  });
});
