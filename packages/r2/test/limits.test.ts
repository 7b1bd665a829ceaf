import { describe, expect, it } from "vitest";
import { checkCompletedParts } from "../src/complete-checks.js";
import { customMetadataSize } from "../src/custom-metadata.js";
import { R2_LIMITS, resolveR2Limits } from "../src/r2-limits.js";
import { multipartEtag } from "../src/random-ids.js";
import { compareUtf8, prefixUpperBound } from "@cellar/metadata-store";

describe("customMetadataSize", () => {
  it("weighs UTF-16 length, doubled when any code unit is 256 or more", () => {
    expect(customMetadataSize({ k: "v".repeat(2047) })).toBe(2048);
    expect(customMetadataSize({ é: "ÿ" })).toBe(2);
    expect(customMetadataSize({ e: "😀".repeat(512) })).toBe(1 + 2048);
    expect(customMetadataSize({ "€": "a" })).toBe(3);
  });
});

describe("limits", () => {
  it("defaults to production's and lowers only the multipart sizes", () => {
    expect(R2_LIMITS).toMatchObject({ maxUploadSize: 5_363_466_240, maxObjectSize: 5_492_189_429_760, minPartSize: 5_242_880 });
    expect(resolveR2Limits({ minPartSize: 5 })).toMatchObject({ minPartSize: 5, maxKeySize: 1024 });
    expect(() => resolveR2Limits({ minPartSize: 0 })).toThrow(TypeError);
    expect(() => resolveR2Limits({ maxObjectSize: 1.5 })).toThrow(TypeError);
  });
});

describe("checkCompletedParts", () => {
  const limits = resolveR2Limits({ minPartSize: 10 });
  const part = (number: number, size: number) => ({ part_number: number, size, etag: `e${number}`, checksum_md5: "00" });
  const select = (...numbers: number[]) => numbers.map((number) => ({ partNumber: number, etag: `e${number}` }));

  it("checks in the service's order and sorts by part number", () => {
    const uploaded = [part(1, 10), part(2, 10), part(3, 4), part(4, 9), part(5, 11)];
    expect(checkCompletedParts(select(2, 1, 3), uploaded, limits).map((p) => p.part_number)).toEqual([1, 2, 3]);
    expect(() => checkCompletedParts(select(1, 1), uploaded, limits)).toThrow("(10001)");
    expect(() => checkCompletedParts([{ partNumber: 1, etag: "wrong" }], uploaded, limits)).toThrow("(10025)");
    expect(() => checkCompletedParts(select(3, 1), uploaded, limits)).toThrow("(10011)");
    expect(() => checkCompletedParts(select(1, 3, 2), uploaded, limits)).toThrow("(10011)");
    expect(() => checkCompletedParts(select(5, 1, 3), uploaded, limits)).toThrow("(10048)");
    expect(() => checkCompletedParts(select(1, 5), uploaded, limits)).toThrow("(10048)");
    expect(() => checkCompletedParts(select(1, 2, 3), uploaded, resolveR2Limits({ minPartSize: 10, maxObjectSize: 23 }))).toThrow("(100100)");
  });
});

describe("multipartEtag", () => {
  it("hashes the binary part MD5s", () => {
    expect(multipartEtag([])).toBe("d41d8cd98f00b204e9800998ecf8427e-0");
    expect(multipartEtag(["5d41402abc4b2a76b9719d911017c592"])).toMatch(/^[0-9a-f]{32}-1$/);
  });
});

describe("UTF-8 order", () => {
  it("orders by code point and bounds prefixes byte for byte", () => {
    expect(compareUtf8("\uFFFF", "😀")).toBeLessThan(0);
    expect(prefixUpperBound("ab")).toBe("ac");
    expect(prefixUpperBound("a\u0000")).toBe("a\u0001");
    expect(prefixUpperBound("\uD7FF")).toBe("\uE000");
    expect(prefixUpperBound("x\u{10FFFF}")).toBe("y");
    expect(prefixUpperBound("a😀")).toBe("a😁");
    expect(prefixUpperBound("")).toBeUndefined();
    expect(prefixUpperBound("\u{10FFFF}")).toBeUndefined();
  });
});
