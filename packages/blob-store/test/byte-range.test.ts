import { describe, expect, it } from "vitest";
import { InvalidRangeError, RangeNotSatisfiableError, assertByteRangeShape, byteRangeLength, validateByteRange } from "../src/index.ts";

describe("validateByteRange", () => {
  it.each([
    [{ start: 0, end: 0 }, 1],
    [{ start: 0, end: 9 }, 10],
    [{ start: 9, end: 9 }, 10],
    [{ start: 3, end: 5 }, 10],
  ])("accepts %j in a blob of %i bytes", (range, size) => {
    expect(() => validateByteRange(range, size)).not.toThrow();
  });

  it.each([
    [{ start: -1, end: 2 }],
    [{ start: 3, end: 2 }],
    [{ start: 0.5, end: 2 }],
    [{ start: 0, end: Number.NaN }],
    [{ start: 0, end: Number.POSITIVE_INFINITY }],
    [{ start: 0 }],
    [{ start: "0", end: "1" }],
    [null],
    [undefined],
    ["0-1"],
  ])("rejects malformed %j with ERR_INVALID_RANGE", (range) => {
    expect(() => validateByteRange(range, 10)).toThrow(InvalidRangeError);
    expect(() => assertByteRangeShape(range)).toThrow(expect.objectContaining({ code: "ERR_INVALID_RANGE" }));
  });

  it.each([
    [{ start: 10, end: 10 }, 10],
    [{ start: 0, end: 10 }, 10],
    [{ start: 20, end: 30 }, 10],
    [{ start: 0, end: 0 }, 0],
  ])("rejects %j in a blob of %i bytes with ERR_RANGE_NOT_SATISFIABLE", (range, size) => {
    let error: unknown;
    try {
      validateByteRange(range, size);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RangeNotSatisfiableError);
    expect(error).toMatchObject({ code: "ERR_RANGE_NOT_SATISFIABLE", size });
    expect(error).toBeInstanceOf(TypeError);
  });

  it("reports a malformed range before checking the size", () => {
    expect(() => validateByteRange({ start: 5, end: 2 }, 0)).toThrow(InvalidRangeError);
  });
});

describe("byteRangeLength", () => {
  it("counts inclusive ranges", () => {
    expect(byteRangeLength({ start: 0, end: 0 })).toBe(1);
    expect(byteRangeLength({ start: 5, end: 9 })).toBe(5);
  });
});
