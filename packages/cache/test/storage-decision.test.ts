import { describe, expect, it } from "vitest";
import { createStorageDecider, type StorageInput } from "../src/storage-decision.js";

const NOW = Date.UTC(2026, 0, 1);
const decide = createStorageDecider({ now: () => NOW });
const date = (ms: number) => new Date(ms).toUTCString();

function decision(responseHeaders: Record<string, string>, status = 200, requestHeaders: Record<string, string> = {}) {
  const input: StorageInput = { url: "https://x.test/", requestHeaders, status, responseHeaders };
  return decide(input);
}
const ttl = (responseHeaders: Record<string, string>, status = 200, requestHeaders: Record<string, string> = {}) => {
  const result = decision(responseHeaders, status, requestHeaders);
  return result.storable ? result.ttl : "not storable";
};

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

describe("storage decision", () => {
  it("takes explicit freshness: s-maxage > max-age > Expires - Date, minus Age", () => {
    expect(ttl({ "cache-control": "max-age=600, s-maxage=10" })).toBe(10_000);
    expect(ttl({ "cache-control": "max-age=30", expires: date(NOW + DAY), date: date(NOW) })).toBe(30_000);
    expect(ttl({ expires: date(NOW + 90_000), date: date(NOW - 30_000) })).toBe(120_000);
    expect(ttl({ "cache-control": "max-age=60", age: "15" })).toBe(45_000);
    expect(ttl({ "cache-control": "max-age=60", age: "90" })).toBe(0);
  });

  it("applies the default Edge TTL table without explicit freshness, never the heuristic (C1)", () => {
    expect(ttl({}, 200)).toBe(120 * MINUTE);
    expect(ttl({}, 301)).toBe(120 * MINUTE);
    expect(ttl({}, 302)).toBe(20 * MINUTE);
    expect(ttl({ "cache-control": "public" }, 303)).toBe(20 * MINUTE);
    expect(ttl({}, 404)).toBe(3 * MINUTE);
    expect(ttl({}, 410)).toBe(3 * MINUTE);
    expect(ttl({ "last-modified": date(NOW - 100 * DAY), date: date(NOW) })).toBe(120 * MINUTE);
    expect(ttl({}, 203)).toBe(0);
    expect(ttl({}, 307)).toBe("not storable");
    expect(ttl({}, 500)).toBe("not storable");
  });

  it("gives no-cache, Pragma: no-cache and proxy-revalidate a TTL of 0", () => {
    expect(ttl({ "cache-control": "no-cache" })).toBe(0);
    expect(ttl({ "cache-control": "no-cache, max-age=60" })).toBe(0);
    expect(ttl({ pragma: "no-cache" })).toBe(0);
    expect(ttl({ "cache-control": "proxy-revalidate" })).toBe(0);
    // As in http-cache-semantics, Pragma counts only without Cache-Control.
    expect(ttl({ pragma: "no-cache", "cache-control": "max-age=60" })).toBe(60_000);
  });

  it("ignores stale-while-revalidate and stale-if-error (C2)", () => {
    expect(ttl({ "cache-control": "max-age=1, stale-while-revalidate=100, stale-if-error=100" })).toBe(1000);
  });

  it("floors immutable responses at 24 hours, not the library's 1000 days", () => {
    expect(ttl({ "cache-control": "immutable" })).toBe(DAY);
    expect(ttl({ "cache-control": "immutable" }, 203)).toBe(DAY);
    expect(ttl({ "cache-control": "immutable", expires: date(NOW + MINUTE), date: date(NOW) })).toBe(DAY);
    expect(ttl({ "cache-control": "immutable, max-age=10" })).toBe(10_000);
  });

  it("refuses no-store, private, Set-Cookie, and Authorization without public, s-maxage or must-revalidate", () => {
    expect(ttl({ "cache-control": "no-store, max-age=60" })).toBe("not storable");
    expect(ttl({ "cache-control": "private, max-age=60" })).toBe("not storable");
    expect(ttl({ "cache-control": "public, max-age=60", "set-cookie": "a=1" })).toBe("not storable");
    expect(ttl({ "cache-control": "max-age=60" }, 200, { authorization: "x" })).toBe("not storable");
    expect(ttl({}, 302, { authorization: "x" })).toBe("not storable");
    expect(ttl({ "cache-control": "public, max-age=60" }, 200, { authorization: "x" })).toBe(60_000);
    expect(ttl({ "cache-control": "s-maxage=60" }, 200, { authorization: "x" })).toBe(60_000);
    expect(ttl({ "cache-control": "max-age=60, must-revalidate" }, 200, { authorization: "x" })).toBe(60_000);
  });

  it("ignores the request's Cache-Control", () => {
    expect(ttl({ "cache-control": "max-age=60" }, 200, { "cache-control": "no-store" })).toBe(60_000);
  });

  it("rewrites private=Set-Cookie as Miniflare does: directive removed, value lower-cased, Set-Cookie dropped", () => {
    const result = decision({ "cache-control": "Private=Set-Cookie; Max-Age=100", "set-cookie": "a=1", "x-other": "1" });
    expect(result.storable).toBe(true);
    const headers = Object.fromEntries(result.storable ? result.headers : []);
    expect(headers["cache-control"]).toBe(" max-age=100");
    expect(headers["set-cookie"]).toBeUndefined();
    expect(headers["x-other"]).toBe("1");
  });

  it("stores responseHeaders(): hop-by-hop dropped, Date set to now, Age kept", () => {
    const result = decision({ "cache-control": "max-age=60", connection: "keep-alive", "keep-alive": "timeout=5", date: date(NOW - DAY), age: "7" });
    expect(result.storable && Object.fromEntries(result.headers)).toEqual({ "cache-control": "max-age=60", age: "7", date: date(NOW) });
  });
});
