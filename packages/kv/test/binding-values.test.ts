import { describe, expect, it } from "vitest";
import { toBindingInteger, toBindingString, utf8Length } from "../src/binding-values.js";

describe("toBindingInteger", () => {
  it("truncates numbers towards zero, as the binding's C++ int does", () => {
    expect(toBindingInteger(60.7)).toBe(60);
    expect(toBindingInteger(2.5)).toBe(2);
    expect(toBindingInteger(-2.5)).toBe(-2);
    expect(Object.is(toBindingInteger(-0.5), 0)).toBe(true);
    expect(toBindingInteger(2147483647)).toBe(2147483647);
  });

  it("sends values that are not finite numbers as 0", () => {
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, "soon", {}, undefined]) {
      expect(toBindingInteger(value), String(value)).toBe(0);
    }
  });

  it("converts numeric strings and null like ToNumber", () => {
    expect(toBindingInteger("120")).toBe(120);
    expect(toBindingInteger(null)).toBe(0);
    expect(toBindingInteger(true)).toBe(1);
  });

  it("rejects numbers outside the 32-bit range with the runtime's TypeError", () => {
    expect(() => toBindingInteger(2 ** 31)).toThrow(new TypeError("Value out of range. Must be between -2147483648 and 2147483647 (inclusive)."));
    expect(() => toBindingInteger(-(2 ** 31) - 1)).toThrow(TypeError);
  });
});

describe("toBindingString", () => {
  it("replaces lone surrogates with U+FFFD and keeps pairs", () => {
    expect(toBindingString("a\uD800b")).toBe("a\uFFFDb");
    expect(toBindingString("\uDC00")).toBe("\uFFFD");
    expect(toBindingString("😀")).toBe("😀");
  });

  it("converts other values with ToString", () => {
    expect(toBindingString(42)).toBe("42");
    expect(toBindingString(null)).toBe("null");
    expect(() => toBindingString(Symbol("s"))).toThrow(TypeError);
  });
});

describe("utf8Length", () => {
  it("counts UTF-8 bytes like Buffer.byteLength", () => {
    const samples = ["", "abc", "é", "€", "😀", "a😀é€\u0000", "\uFFFF", "\u{10FFFF}", "x".repeat(600)];
    for (let i = 0; i < 200; i++) {
      samples.push(String.fromCodePoint(...Array.from({ length: 8 }, (_, j) => [0x41, 0xe9, 0x20ac, 0x1f600, 0xffff, 0x7ff, 0x800][(i + j) % 7]!)));
    }
    for (const sample of samples) expect(utf8Length(sample), JSON.stringify(sample)).toBe(Buffer.byteLength(sample));
  });
});
