import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "../src/list-cursor.js";

describe("list cursors", () => {
  it("are base64 of the key's UTF-8 bytes", () => {
    expect(encodeCursor("a")).toBe("YQ==");
    expect(encodeCursor("b")).toBe("Yg==");
    expect(encodeCursor("｡")).toBe("772h");
  });

  it("decode back to the key", () => {
    for (const key of ["a", "｡", "😀 with space", "nul\u0000", "é".repeat(256)]) expect(decodeCursor(encodeCursor(key))).toBe(key);
    expect(decodeCursor("YQ")).toBe("a");
  });

  it('decode to "" (restart) when they are not base64 of UTF-8 text', () => {
    for (const cursor of ["!!!", "YQ=a", "Y", "/w==", "not base64!"]) expect(decodeCursor(cursor), cursor).toBe("");
  });
});
