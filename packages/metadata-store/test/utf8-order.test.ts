import { describe, expect, it } from "vitest";
import { compareUtf8, prefixUpperBound } from "../src/index.ts";

const samples = [
  "", " ", "A", "B", "_", "a", "a/", "a/b", "a0", "ab", "b", "e", "~", "é", "｡", "\uD7FF", "\uE000", "\uFFFF",
  "😀", "😁", "\u{10FFFF}", "a\u0000", "a\u0000b", "x😀", "x\uFFFF", "\u{10000}", "\u{10FFFF}a",
];

function byBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

describe("compareUtf8", () => {
  it("orders strings exactly as their UTF-8 bytes", () => {
    for (const a of samples) for (const b of samples) expect(Math.sign(compareUtf8(a, b)), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`).toBe(byBytes(a, b));
  });

  it("puts U+FFFF before astral code points, unlike JavaScript's <", () => {
    expect(compareUtf8("\uFFFF", "😀")).toBeLessThan(0);
    expect("\uFFFF" < "😀").toBe(false);
  });
});

describe("prefixUpperBound", () => {
  it("increments the last code point, skipping the surrogates", () => {
    expect(prefixUpperBound("a")).toBe("b");
    expect(prefixUpperBound("a\u0000")).toBe("a\u0001");
    expect(prefixUpperBound("\uD7FF")).toBe("\uE000");
    expect(prefixUpperBound("\uFFFF")).toBe("\u{10000}");
    expect(prefixUpperBound("x😀")).toBe("x😁");
  });

  it("drops trailing U+10FFFF, and has no bound for an empty or all-maximal prefix", () => {
    expect(prefixUpperBound("a\u{10FFFF}")).toBe("b");
    expect(prefixUpperBound("a\u{10FFFF}\u{10FFFF}")).toBe("b");
    expect(prefixUpperBound("\u{10FFFF}")).toBeUndefined();
    expect(prefixUpperBound("")).toBeUndefined();
  });

  it("bounds exactly the strings that start with the prefix", () => {
    for (const prefix of samples) {
      const bound = prefixUpperBound(prefix);
      for (const key of samples) {
        const inRange = byBytes(key, prefix) >= 0 && (bound === undefined || byBytes(key, bound) < 0);
        expect(inRange, `${JSON.stringify(key)} under ${JSON.stringify(prefix)}`).toBe(key.startsWith(prefix));
      }
    }
  });
});
