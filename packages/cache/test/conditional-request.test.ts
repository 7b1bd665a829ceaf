import { describe, expect, it } from "vitest";
import { isNotModified, parseETag, parseImfFixdate } from "../src/index.js";

const stored = (headers: Record<string, string>) => new Headers(headers);

describe("parseETag", () => {
  it("returns the opaque tag of strong and weak tags, trimmed", () => {
    expect(parseETag('"abc"')).toBe("abc");
    expect(parseETag(' W/"abc" ')).toBe("abc");
    expect(parseETag('"a,b"')).toBe("a,b");
  });

  it("returns undefined for anything unquoted or empty", () => {
    for (const value of ["abc", '""', 'w/"abc"', '"abc', "*"]) expect(parseETag(value), value).toBeUndefined();
  });
});

describe("parseImfFixdate", () => {
  it("parses IMF-fixdate only", () => {
    expect(parseImfFixdate("Sun, 06 Nov 1994 08:49:37 GMT")).toBe(Date.UTC(1994, 10, 6, 8, 49, 37));
    for (const value of ["1994-11-06T08:49:37Z", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994", "Sun, 6 Nov 1994 08:49:37 GMT"]) {
      expect(parseImfFixdate(value), value).toBeNaN();
    }
  });
});

describe("isNotModified", () => {
  const etagged = stored({ ETag: '"abc"', "Last-Modified": "Sun, 06 Nov 1994 08:49:37 GMT" });

  it("matches If-None-Match weakly, in lists, and *", () => {
    for (const value of ['"abc"', 'W/"abc"', '"x", W/"abc"', "*"]) expect(isNotModified(stored({ "If-None-Match": value }), etagged), value).toBe(true);
    expect(isNotModified(stored({ "If-None-Match": '"zzz"' }), stored({ ETag: '"abc"' }))).toBe(false);
  });

  it("ignores If-None-Match against an unquoted ETag", () => {
    expect(isNotModified(stored({ "If-None-Match": "*" }), stored({ ETag: "abc" }))).toBe(false);
  });

  it("falls through to If-Modified-Since, comparing strict dates", () => {
    const lastModified = stored({ "Last-Modified": "Sun, 06 Nov 1994 08:49:37 GMT" });
    expect(isNotModified(stored({ "If-Modified-Since": "Sun, 06 Nov 1994 08:49:37 GMT" }), lastModified)).toBe(true);
    expect(isNotModified(stored({ "If-Modified-Since": "Sun, 06 Nov 1994 08:49:36 GMT" }), lastModified)).toBe(false);
    expect(isNotModified(stored({ "If-Modified-Since": "1994-11-07T00:00:00Z" }), lastModified)).toBe(false);
    expect(isNotModified(stored({}), lastModified)).toBe(false);
  });
});
