import { describe, expect, it } from "vitest";
import { headerRecord, toCacheRequest } from "../src/cache-request.js";
import { CACHE_ERROR_MESSAGES } from "../src/index.js";

describe("toCacheRequest", () => {
  it("normalises a URL string as a Request would, keyed by it, as GET", () => {
    const request = toCacheRequest("HTTP://Example.COM/a b?q");
    expect(request).toMatchObject({ url: "http://example.com/a%20b?q", key: "http://example.com/a%20b?q", method: "GET" });
    expect(toCacheRequest(new URL("https://x.test/p")).key).toBe("https://x.test/p");
  });

  it("keys a request by a truthy cf.cacheKey, converted to a string", () => {
    const request = (cf: unknown) => Object.assign(new Request("https://x.test/a", { method: "post" }), { cf });
    expect(toCacheRequest(request({ cacheKey: "custom" }))).toMatchObject({ key: "custom", url: "https://x.test/a", method: "POST" });
    expect(toCacheRequest(request({ cacheKey: 42 })).key).toBe("42");
    expect(toCacheRequest(request({ cacheKey: "" })).key).toBe("https://x.test/a");
    expect(toCacheRequest(request(undefined)).key).toBe("https://x.test/a");
  });

  it("rejects relative and invalid URLs with the runtime's message", () => {
    for (const input of ["/relative", "", "http://", { url: "nope", method: "GET", headers: new Headers() }]) {
      expect(() => toCacheRequest(input as string), JSON.stringify(input)).toThrow(new TypeError(CACHE_ERROR_MESSAGES.invalidUrl));
    }
  });
});

describe("headerRecord", () => {
  it("lower-cases names and keeps the last Set-Cookie", () => {
    const headers = new Headers([
      ["X-A", "1"],
      ["Set-Cookie", "a=1"],
      ["Set-Cookie", "b=2"],
    ]);
    expect(headerRecord(headers)).toEqual({ "x-a": "1", "set-cookie": "b=2" });
  });
});
