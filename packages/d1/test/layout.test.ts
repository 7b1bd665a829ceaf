import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatBookmark } from "../src/bookmark.js";
import { d1DatabaseIdOf, d1DatabasePath } from "../src/layout/d1-database-path.js";

describe("layout", () => {
  it("puts database D1 where wrangler dev keeps it", () => {
    expect(d1DatabasePath("/state/v3", "D1")).toBe(
      join("/state/v3", "d1", "miniflare-D1DatabaseObject", "43f24c89f0e12f933cdd01f76db89f68337b8866236eeb99eb051c0ffd4bbc25.sqlite"),
    );
  });

  it("derives the id as wrangler does: preview_database_id ?? database_id ?? binding", () => {
    expect(d1DatabaseIdOf({ binding: "DB" })).toBe("DB");
    expect(d1DatabaseIdOf({ binding: "DB", database_id: "abc" })).toBe("abc");
    expect(d1DatabaseIdOf({ binding: "DB", database_id: "abc", preview_database_id: "pre" })).toBe("pre");
  });
});

describe("formatBookmark", () => {
  it("formats the counter as workerd does, so bookmarks sort as numbers", () => {
    expect(formatBookmark(0)).toBe(`00000000-00000000-00000000-${"0".repeat(32)}`);
    expect(formatBookmark(0x25)).toBe(`00000000-00000025-00000000-${"0".repeat(32)}`);
    expect(formatBookmark(4294967295)).toBe(`00000001-00000000-00000000-${"0".repeat(32)}`);
    expect(formatBookmark(9).localeCompare(formatBookmark(10))).toBeLessThan(0);
  });
});
