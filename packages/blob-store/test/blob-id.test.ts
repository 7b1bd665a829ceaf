import { describe, expect, it } from "vitest";
import { MAX_BLOB_ID_LENGTH, assertValidBlobId, createBlobId, encodeUserId, isValidBlobId, parseBlobId } from "../src/index.ts";

describe("createBlobId", () => {
  it("is 64 random hex, then the time as 16 hex, like Miniflare's ids", () => {
    const id = createBlobId({ now: 1795303297261 });
    expect(id).toMatch(/^[0-9a-f]{80}$/);
    expect(id.slice(64)).toBe("000001a2006a50ed");
    expect(parseBlobId(id).createdAt).toBe(1795303297261);
  });

  it("appends the encoded user id", () => {
    const id = createBlobId({ now: 0, userId: "photo.JPG" });
    expect(id.slice(80)).toBe("-photo._j_p_g");
    expect(id.slice(64, 80)).toBe("0000000000000000");
  });

  it("adds nothing for an empty user id", () => {
    expect(createBlobId({ now: 1, userId: "" })).toHaveLength(80);
  });

  it("stays within 255 characters and valid for any user id", () => {
    for (const userId of ["x".repeat(100_000), "😀".repeat(1000), "_".repeat(500), ".".repeat(300)]) {
      const id = createBlobId({ now: Date.now(), userId });
      expect(id.length).toBeLessThanOrEqual(MAX_BLOB_ID_LENGTH);
      expect(isValidBlobId(id)).toBe(true);
    }
  });

  it("never repeats", () => {
    const ids = new Set(Array.from({ length: 1000 }, () => createBlobId({ now: 5 })));
    expect(ids.size).toBe(1000);
  });

  it("floors fractional times and rejects impossible ones", () => {
    expect(parseBlobId(createBlobId({ now: 1000.9 })).createdAt).toBe(1000);
    for (const now of [-1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60]) {
      expect(() => createBlobId({ now })).toThrow(RangeError);
    }
  });

  it("rejects an unencodable user id with ERR_INVALID_USER_ID", () => {
    expect(() => createBlobId({ now: 0, userId: "\ud800" })).toThrow(expect.objectContaining({ code: "ERR_INVALID_USER_ID" }));
  });
});

describe("parseBlobId", () => {
  it("reads the time of Miniflare ids and of cellar ids with a user id", () => {
    const miniflare = "c58a2a9b2c655341d6a56d22a7d165b48adbff914f9102f75588039999eb47c1000001a2006a50ed";
    expect(parseBlobId(miniflare).createdAt).toBe(1795303297261);
    expect(parseBlobId(`${miniflare}-${encodeUserId("k")}`).createdAt).toBe(1795303297261);
  });

  it("finds no time in other ids", () => {
    for (const id of ["legacy", "c58a2a9b", `${"a".repeat(81)}`, `${"A".repeat(80)}`, `${"a".repeat(80)}.x`, 42 as unknown as string]) {
      expect(parseBlobId(id).createdAt).toBeUndefined();
    }
  });
});

describe("isValidBlobId / assertValidBlobId", () => {
  it.each(["a", "A-z_0.9", "x".repeat(255), createBlobId({ now: 0, userId: "../x" }), "legacy-blob"])("accepts %j", (id) => {
    expect(isValidBlobId(id)).toBe(true);
    expect(() => assertValidBlobId(id)).not.toThrow();
  });

  it.each([
    [""],
    ["."],
    [".."],
    [".hidden"],
    ["x".repeat(256)],
    ["a/b"],
    ["a\\b"],
    ["a\u0000b"],
    ["a b"],
    ["a%2f"],
    ["a?b"],
    ["a#b"],
    ["é"],
    ["\ud800"],
    ["trailing."],
    ["con"],
    ["NUL.txt"],
    ["com1"],
    [42],
    [null],
    [undefined],
  ])("rejects %j with ERR_INVALID_BLOB_ID", (id) => {
    expect(isValidBlobId(id)).toBe(false);
    expect(() => assertValidBlobId(id)).toThrow(expect.objectContaining({ code: "ERR_INVALID_BLOB_ID", name: "InvalidBlobIdError" }));
  });
});
