import { describe, expect, it } from "vitest";
import { expectHitWithBody } from "./cache-expect.js";
import type { DescribeCacheOptions } from "./cache-fixture.js";
import { cacheable, request, url } from "./cache-test-data.js";
import { useCacheTestContext } from "./cache-test-context.js";

/** What a cache key is, methods, Workers Sites and named caches (spec cache.md §1, §4). */
export function describeCacheKeys(options: DescribeCacheOptions): void {
  describe(options.name, () => {
    describe("keys and methods", () => {
      const t = useCacheTestContext(options);

      it("keys an entry by cf.cacheKey when set: another URL with the same cacheKey hits, the plain URL misses", async () => {
        await t.cache.put(request("/original", { cacheKey: "custom-key" }), cacheable("keyed"));
        await expectHitWithBody(await t.cache.match(request("/other", { cacheKey: "custom-key" })), "keyed");
        expect(await t.cache.match(url("/original"))).toBeUndefined();
        expect(await t.cache.match(request("/original"))).toBeUndefined();
      });

      it("keeps the method, Vary and request headers out of the key: Vary: Accept matches any Accept", async () => {
        await t.cache.put(
          request("/negotiated", { headers: { Accept: "text/html" } }),
          cacheable("html", { "Cache-Control": "max-age=3600", Vary: "Accept" }),
        );
        await expectHitWithBody(await t.cache.match(request("/negotiated", { headers: { Accept: "application/json" } })), "html");
        await expectHitWithBody(await t.cache.match(url("/negotiated")), "html");
      });

      it("misses a HEAD or POST match unless ignoreMethod is set", async () => {
        await t.cache.put(url("/a"), cacheable("body"));
        for (const method of ["HEAD", "POST", "PUT"]) {
          expect(await t.cache.match(request("/a", { method })), method).toBeUndefined();
        }
        await expectHitWithBody(await t.cache.match(request("/a", { method: "POST" }), { ignoreMethod: true }), "body");
        const head = await t.cache.match(request("/a", { method: "HEAD" }), { ignoreMethod: true });
        expect(head?.status).toBe(200);
      });

      it("ignores the request's Cache-Control, on put and on match", async () => {
        await t.cache.put(request("/a", { headers: { "Cache-Control": "no-store" } }), cacheable("stored anyway"));
        await expectHitWithBody(await t.cache.match(request("/a", { headers: { "Cache-Control": "no-cache" } })), "stored anyway");
      });

      it("never stores or matches Workers Sites URLs (/$__MINIFLARE_SITES__$/...)", async () => {
        const sites = url("/$__MINIFLARE_SITES__$/index.html");
        await t.cache.put(sites, cacheable("site"));
        expect(await t.cache.match(sites)).toBeUndefined();
        expect(await t.cache.delete(sites)).toBe(false);
      });

      it("keeps caches.default and named caches apart; the same name opens the same entries", async () => {
        const one = await t.caches.open("one");
        const two = await t.caches.open("two");
        await t.cache.put(url("/k"), cacheable("default"));
        await one.put(url("/k"), cacheable("one"));
        await expectHitWithBody(await t.cache.match(url("/k")), "default");
        await expectHitWithBody(await one.match(url("/k")), "one");
        expect(await two.match(url("/k"))).toBeUndefined();
        await expectHitWithBody(await (await t.caches.open("one")).match(url("/k")), "one");
        expect(await one.delete(url("/k"))).toBe(true);
        await expectHitWithBody(await t.cache.match(url("/k")), "default");
      });

      it("treats a cache named default as a named cache, apart from caches.default", async () => {
        const named = await t.caches.open("default");
        await named.put(url("/k"), cacheable("named"));
        expect(await t.cache.match(url("/k"))).toBeUndefined();
        await expectHitWithBody(await named.match(url("/k")), "named");
      });
    });
  });
}
