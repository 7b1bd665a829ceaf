import { describe, expect, it } from "vitest";
import { parseRanges } from "../src/index.js";

describe("parseRanges", () => {
  it.each([
    ["bytes=0-4", [{ start: 0, end: 4 }]],
    ["bytes=-3", [{ start: 13, end: 15 }]],
    ["bytes=0-1000", [{ start: 0, end: 15 }]],
    ["bytes=10-", [{ start: 10, end: 15 }]],
    ["bytes=15-15", [{ start: 15, end: 15 }]],
    ["bytes=0-1,3-4", [{ start: 0, end: 1 }, { start: 3, end: 4 }]],
    ["bytes=3-4,0-1,0-1", [{ start: 3, end: 4 }, { start: 0, end: 1 }, { start: 0, end: 1 }]],
    ["bytes=-0,2-3", [{ start: 2, end: 3 }]],
    ["  BYTES  =  2 - 3 ", [{ start: 2, end: 3 }]],
    ["bytes=007-008", [{ start: 7, end: 8 }]],
  ])("parses %j on 16 bytes", (header, expected) => {
    expect(parseRanges(header, 16)).toEqual(expected);
  });

  it.each(["bytes=100-", "bytes=16-", "bytes=16-20", "bytes=5-2", "items=0-1", "bytes 0-1", "bytes=abc", "bytes=1-2-3", "bytes=-", "bytes=0-1,", "bytes=0-1,x", "bytes=1.5-2", "bytes=+1-2", "0-1"])(
    "finds %j unsatisfiable on 16 bytes",
    (header) => {
      expect(parseRanges(header, 16)).toBeUndefined();
    },
  );

  it.each(["bytes=-100", "bytes=-16", "bytes=-0", "bytes=", "bytes=   ", "bytes=0-1,-100", "bytes=-0,-0"])("serves the whole body for %j", (header) => {
    expect(parseRanges(header, 16)).toEqual([]);
  });

  it("finds every start-based range of an empty body unsatisfiable, and suffixes whole", () => {
    expect(parseRanges("bytes=0-", 0)).toBeUndefined();
    expect(parseRanges("bytes=0-0", 0)).toBeUndefined();
    expect(parseRanges("bytes=-1", 0)).toEqual([]);
  });

  it("handles numbers beyond 2^53 without throwing", () => {
    expect(parseRanges("bytes=0-99999999999999999999999", 16)).toEqual([{ start: 0, end: 15 }]);
    expect(parseRanges("bytes=99999999999999999999999-", 16)).toBeUndefined();
    expect(parseRanges("bytes=-99999999999999999999999", 16)).toEqual([]);
  });
});
