import { describe, expect, it } from "vitest";
import { expectHit, expectHitWithBody } from "./cache-expect.js";
import type { DescribeCacheOptions } from "./cache-fixture.js";
import { cacheable, httpDate, url } from "./cache-test-data.js";
import { CACHE_TEST_START, useCacheTestContext } from "./cache-test-context.js";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * How long entries stay (spec cache.md §3 "TTL" and C1, C2): explicit freshness, the default
 * Edge TTL table otherwise, no heuristic, no stale-* extensions, the `immutable` floor, and
 * expiry exactly at the end of the TTL. Every test moves the injected clock.
 */
export function describeCacheFreshness(options: DescribeCacheOptions): void {
  describe(options.name, () => {
    describe("freshness and expiry", () => {
      const t = useCacheTestContext(options);

      /** Puts `response` at the clock's start; expects a hit 1 ms before `ttl` and a miss at `ttl`. */
      async function expectTtl(path: string, response: Response, ttl: number): Promise<void> {
        t.clock.set(CACHE_TEST_START);
        await t.cache.put(url(path), response);
        t.clock.set(CACHE_TEST_START + ttl - 1);
        expectHit(await t.cache.match(url(path)), `${path} 1 ms before its TTL of ${ttl} ms`);
        t.clock.set(CACHE_TEST_START + ttl);
        expect(await t.cache.match(url(path)), `${path} at its TTL of ${ttl} ms`).toBeUndefined();
      }

      /** Puts `response` at the clock's start; expects it never to hit. */
      async function expectNotCached(path: string, response: Response): Promise<void> {
        t.clock.set(CACHE_TEST_START);
        await t.cache.put(url(path), response);
        expect(await t.cache.match(url(path)), path).toBeUndefined();
      }

      it("keeps an entry for max-age, expiring exactly at its end", async () => {
        await expectTtl("/max-age", cacheable("x", { "Cache-Control": "max-age=60" }), 60 * SECOND);
      });

      it("lets s-maxage win over max-age, and max-age over Expires", async () => {
        await expectTtl("/s-maxage", cacheable("x", { "Cache-Control": "max-age=600, s-maxage=10" }), 10 * SECOND);
        await expectTtl(
          "/max-age-over-expires",
          cacheable("x", { "Cache-Control": "max-age=30", Date: httpDate(CACHE_TEST_START), Expires: httpDate(CACHE_TEST_START + HOUR) }),
          30 * SECOND,
        );
      });

      it("takes Expires minus Date when there is no max-age", async () => {
        await expectTtl(
          "/expires",
          cacheable("x", { Date: httpDate(CACHE_TEST_START - 10 * SECOND), Expires: httpDate(CACHE_TEST_START + 110 * SECOND) }),
          120 * SECOND,
        );
      });

      it("subtracts the response's Age from its freshness", async () => {
        await expectTtl("/aged", cacheable("x", { "Cache-Control": "max-age=60", Age: "20" }), 40 * SECOND);
      });

      it("never serves a response that is stale when put: max-age=0, a past Expires, no-cache, Pragma: no-cache", async () => {
        await expectNotCached("/max-age-0", cacheable("x", { "Cache-Control": "max-age=0" }));
        await expectNotCached("/past", cacheable("x", { Date: httpDate(CACHE_TEST_START), Expires: httpDate(CACHE_TEST_START - HOUR) }));
        await expectNotCached("/invalid-expires", cacheable("x", { Expires: "0" }));
        await expectNotCached("/no-cache", cacheable("x", { "Cache-Control": "no-cache" }));
        await expectNotCached("/no-cache-max-age", cacheable("x", { "Cache-Control": "max-age=3600, no-cache" }));
        await expectNotCached("/pragma", cacheable("x", { Pragma: "no-cache" }));
        await expectNotCached("/old", cacheable("x", { "Cache-Control": "max-age=60", Age: "60" }));
      });

      it("applies the default Edge TTL without explicit freshness: 200/301 120 min, 302/303 20 min, 404/410 3 min (C1)", async () => {
        for (const [status, ttl] of [
          [200, 120 * MINUTE],
          [301, 120 * MINUTE],
          [302, 20 * MINUTE],
          [303, 20 * MINUTE],
          [404, 3 * MINUTE],
          [410, 3 * MINUTE],
        ] as const) {
          await expectTtl(`/default/${status}`, cacheable(`status ${status}`, {}, status), ttl);
        }
      });

      it("does not cache other statuses without explicit freshness (C1)", async () => {
        for (const status of [203, 204, 300, 307, 308, 405, 414, 501]) {
          await expectNotCached(`/default/${status}`, cacheable(status === 204 ? null : "x", {}, status));
        }
      });

      it("uses the default Edge TTL, not the Last-Modified heuristic (C1)", async () => {
        // The heuristic would give 10% of 30 days: 3 days.
        const lastModified = httpDate(CACHE_TEST_START - 30 * 24 * HOUR);
        await expectTtl("/last-modified", cacheable("x", { "Last-Modified": lastModified, Date: httpDate(CACHE_TEST_START) }), 120 * MINUTE);
      });

      it("keeps an immutable response at least 24 hours, and public alone for the default TTL", async () => {
        await expectTtl("/immutable", cacheable("x", { "Cache-Control": "immutable" }), 24 * HOUR);
        await expectTtl("/immutable-203", cacheable("x", { "Cache-Control": "public, immutable" }, 203), 24 * HOUR);
        await expectTtl(
          "/immutable-expires",
          cacheable("x", { "Cache-Control": "immutable", Date: httpDate(CACHE_TEST_START), Expires: httpDate(CACHE_TEST_START + MINUTE) }),
          24 * HOUR,
        );
        await expectTtl("/public", cacheable("x", { "Cache-Control": "public" }), 120 * MINUTE);
      });

      it("ignores stale-while-revalidate and stale-if-error (C2)", async () => {
        await expectTtl("/swr", cacheable("x", { "Cache-Control": "max-age=1, stale-while-revalidate=100" }), SECOND);
        await expectTtl("/sie", cacheable("x", { "Cache-Control": "max-age=1, stale-if-error=100" }), SECOND);
      });

      it("removes the older entry when a response that is stale already is put", async () => {
        await t.cache.put(url("/a"), cacheable("live"));
        await t.cache.put(url("/a"), cacheable("stale", { "Cache-Control": "max-age=0" }));
        expect(await t.cache.match(url("/a"))).toBeUndefined();
        expect(await t.cache.delete(url("/a"))).toBe(false);
      });

      it("lets a URL be cached again after its entry expired", async () => {
        await t.cache.put(url("/a"), cacheable("first", { "Cache-Control": "max-age=60" }));
        t.clock.advance(60 * SECOND);
        expect(await t.cache.match(url("/a"))).toBeUndefined();
        await t.cache.put(url("/a"), cacheable("second", { "Cache-Control": "max-age=60" }));
        await expectHitWithBody(await t.cache.match(url("/a")), "second");
      });

      it.skipIf(!options.capabilities?.rows)("stores expiration as put time plus TTL in epoch milliseconds [inspect.rows]", async () => {
        t.clock.set(CACHE_TEST_START + 250);
        await t.cache.put(url("/a"), cacheable("x", { "Cache-Control": "max-age=60" }));
        await t.cache.put(url("/b"), cacheable("x", { "Cache-Control": "max-age=60", Age: "15" }));
        const rows = await t.hook("rows")();
        expect(rows.map((row) => [row.key, row.expiration])).toEqual([
          [url("/a"), CACHE_TEST_START + 250 + 60 * SECOND],
          [url("/b"), CACHE_TEST_START + 250 + 45 * SECOND],
        ]);
      });

      it.skipIf(!options.capabilities?.rows)("deletes an expired entry when it is matched [inspect.rows]", async () => {
        await t.cache.put(url("/expiring"), cacheable("x", { "Cache-Control": "max-age=60" }));
        await t.cache.put(url("/staying"), cacheable("x", { "Cache-Control": "max-age=600" }));
        t.clock.advance(60 * SECOND);
        expect(await t.cache.match(url("/expiring"))).toBeUndefined();
        expect((await t.hook("rows")()).map((row) => row.key)).toEqual([url("/staying")]);
      });
    });
  });
}
