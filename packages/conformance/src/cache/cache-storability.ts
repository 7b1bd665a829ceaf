import { describe, expect, it } from "vitest";
import { expectHit, expectHitWithBody } from "./cache-expect.js";
import type { DescribeCacheOptions } from "./cache-fixture.js";
import { cacheable, countingStream, request, url } from "./cache-test-data.js";
import { useCacheTestContext } from "./cache-test-context.js";

/** Statuses a shared cache understands (RFC 9111 via http-cache-semantics); others are never stored. */
const UNDERSTOOD = [200, 203, 204, 300, 301, 302, 303, 307, 308, 404, 405, 410, 414, 501];

/** Which responses are stored at all (spec cache.md §3 "Storable?"); a refused put still resolves. */
export function describeCacheStorability(options: DescribeCacheOptions): void {
  describe(options.name, () => {
    describe("storability", () => {
      const t = useCacheTestContext(options);

      it("does not store Cache-Control: no-store or private responses, and resolves", async () => {
        for (const [path, cacheControl] of [
          ["/no-store", "no-store"],
          ["/no-store-max-age", "max-age=3600, no-store"],
          ["/private", "private, max-age=3600"],
        ] as const) {
          await expect(t.cache.put(url(path), cacheable("x", { "Cache-Control": cacheControl }))).resolves.toBeUndefined();
          expect(await t.cache.match(url(path)), cacheControl).toBeUndefined();
        }
      });

      it("stores every understood status with max-age, and no other status", async () => {
        for (const status of UNDERSTOOD) {
          const body = status === 204 ? null : `status ${status}`;
          await t.cache.put(url(`/status/${status}`), cacheable(body, { "Cache-Control": "max-age=3600" }, status));
          expect(expectHit(await t.cache.match(url(`/status/${status}`)), String(status)).status).toBe(status);
        }
        for (const status of [201, 202, 400, 403, 500, 502, 503, 504]) {
          await t.cache.put(url(`/status/${status}`), cacheable("x", { "Cache-Control": "max-age=3600" }, status));
          expect(await t.cache.match(url(`/status/${status}`)), String(status)).toBeUndefined();
        }
      });

      it("does not store a response to a request with Authorization unless public, s-maxage or must-revalidate allow it", async () => {
        const authorized = (path: string) => request(path, { headers: { Authorization: "Bearer token" } });
        await t.cache.put(authorized("/plain"), cacheable("x", { "Cache-Control": "max-age=3600" }));
        expect(await t.cache.match(url("/plain"))).toBeUndefined();
        for (const [path, cacheControl] of [
          ["/public", "public, max-age=3600"],
          ["/s-maxage", "s-maxage=3600"],
          ["/must-revalidate", "max-age=3600, must-revalidate"],
        ] as const) {
          await t.cache.put(authorized(path), cacheable(cacheControl, { "Cache-Control": cacheControl }));
          await expectHitWithBody(await t.cache.match(url(path)), cacheControl);
        }
      });

      it("does not store a response with Set-Cookie", async () => {
        await t.cache.put(url("/cookie"), cacheable("x", { "Cache-Control": "public, max-age=3600", "Set-Cookie": "session=1" }));
        expect(await t.cache.match(url("/cookie"))).toBeUndefined();
      });

      it("stores a response with Cache-Control: private=Set-Cookie without Set-Cookie and without that directive", async () => {
        await t.cache.put(url("/cookie"), cacheable("x", { "Cache-Control": "private=Set-Cookie, max-age=100", "Set-Cookie": "session=1" }));
        const headers = expectHit(await t.cache.match(url("/cookie"))).headers;
        expect(headers.has("Set-Cookie")).toBe(false);
        expect(headers.get("Cache-Control")).toBe(", max-age=100");
      });

      it("leaves the older entry in place when a response is not storable", async () => {
        await t.cache.put(url("/a"), cacheable("older"));
        await t.cache.put(url("/a"), cacheable("newer", { "Cache-Control": "no-store" }));
        await t.cache.put(url("/a"), cacheable("newer", { "Cache-Control": "max-age=3600" }, 500));
        await expectHitWithBody(await t.cache.match(url("/a")), "older");
      });

      it("drains the body of a response it does not store", async () => {
        const source = countingStream(256 * 1024);
        await t.cache.put(url("/a"), cacheable(source.stream, { "Cache-Control": "no-store" }));
        expect(source.pulled()).toBe(256 * 1024);
      });
    });
  });
}
