import { describe, expect, it } from "vitest";
import { conditionHolds, parseConditional } from "../src/conditional.js";
import { parseEtagHeader } from "../src/etag-header.js";

describe("parseEtagHeader", () => {
  it("reads strong, weak and wildcard etags, lists and empty elements", () => {
    expect(parseEtagHeader('"a"', "if-match")).toEqual([{ type: "strong", value: "a" }]);
    expect(parseEtagHeader('W/"a", "b,c" , ,"d"', "if-match")).toEqual([
      { type: "weak", value: "a" },
      { type: "strong", value: "b,c" },
      { type: "strong", value: "d" },
    ]);
    expect(parseEtagHeader('"a", *', "if-none-match")).toEqual([{ type: "wildcard" }]);
  });

  it("rejects malformed headers with the runtime's messages", () => {
    expect(() => parseEtagHeader("abc", "if-match")).toThrow("Invalid ETag in if-match header");
    expect(() => parseEtagHeader("", "if-none-match")).toThrow("Invalid ETag in if-none-match header");
    expect(() => parseEtagHeader('"a', "if-match")).toThrow("Unclosed double quote for Etag");
    expect(() => parseEtagHeader('"a" "b"', "if-match")).toThrow(/^Comma was expected to separate etags\. Encountered a double quote/);
    expect(() => parseEtagHeader('W"a"', "if-match")).toThrow("Weak etags must start with W/ and their value must be quoted");
  });
});

describe("conditionHolds", () => {
  const subject = { etag: "e", uploaded: 10_500 };
  const holds = (onlyIf: unknown) => conditionHolds(parseConditional(onlyIf)!, subject);

  it("applies R2's table, including the etag exceptions to the date tests", () => {
    expect(holds({ etagMatches: "e" })).toBe(true);
    expect(holds({ etagMatches: "x" })).toBe(false);
    expect(holds({ etagDoesNotMatch: "e" })).toBe(false);
    expect(holds({ uploadedAfter: new Date(10_500) })).toBe(false);
    expect(holds({ uploadedBefore: new Date(10_501) })).toBe(true);
    expect(holds({ etagMatches: "e", uploadedBefore: new Date(0) })).toBe(true);
    expect(holds({ etagDoesNotMatch: "x", uploadedAfter: new Date(99_999) })).toBe(true);
    expect(holds({ uploadedAfter: new Date(10_100), secondsGranularity: true })).toBe(false);
  });

  it("compares weak etags only in If-None-Match", () => {
    expect(holds(new Headers({ "If-Match": 'W/"e"' }))).toBe(false);
    expect(holds(new Headers({ "If-None-Match": 'W/"e"' }))).toBe(false);
    expect(holds(new Headers({ "If-None-Match": 'W/"x"' }))).toBe(true);
  });

  it("passes on a missing object unless etagMatches or uploadedAfter is given", () => {
    expect(conditionHolds(parseConditional({ etagDoesNotMatch: "*", uploadedBefore: new Date(0) })!, undefined)).toBe(true);
    expect(conditionHolds(parseConditional({ etagMatches: "*" })!, undefined)).toBe(false);
    expect(conditionHolds(parseConditional({ uploadedAfter: new Date(0) })!, undefined)).toBe(false);
  });
});
