import { describe, expect, it } from "vitest";
import { assertSweepOptions } from "../src/index.ts";

describe("assertSweepOptions", () => {
  it("accepts a numeric cutoff and a function", () => {
    expect(() => assertSweepOptions({ olderThan: 0, isReferenced: () => true })).not.toThrow();
    expect(() => assertSweepOptions({ olderThan: Number.POSITIVE_INFINITY, isReferenced: async () => true })).not.toThrow();
  });

  it("refuses a cutoff that would make every blob a candidate by mistake", () => {
    for (const olderThan of [undefined, Number.NaN, "5", null]) {
      expect(() => assertSweepOptions({ olderThan, isReferenced: () => true })).toThrow(TypeError);
    }
    expect(() => assertSweepOptions({ olderThan: 1 })).toThrow(TypeError);
    expect(() => assertSweepOptions(undefined)).toThrow(TypeError);
  });
});
