import { describe, expect, it } from "vitest";
import { expectHitWithBody } from "./cache-expect.js";
import type { DescribeCacheOptions } from "./cache-fixture.js";
import { cacheable, request, url } from "./cache-test-data.js";
import { useCacheTestContext } from "./cache-test-context.js";

/** `delete` (PURGE): `true` only for a live entry (spec cache.md §4). */
export function describeCacheDelete(options: DescribeCacheOptions): void {
  describe(options.name, () => {
    describe("delete", () => {
      const t = useCacheTestContext(options);

      it("returns true for a live entry, then false; false for a URL never stored", async () => {
        await t.cache.put(url("/a"), cacheable("x"));
        expect(await t.cache.delete(url("/a"))).toBe(true);
        expect(await t.cache.match(url("/a"))).toBeUndefined();
        expect(await t.cache.delete(url("/a"))).toBe(false);
        expect(await t.cache.delete(url("/never"))).toBe(false);
      });

      it("returns false for POST and keeps the entry, unless ignoreMethod", async () => {
        await t.cache.put(url("/a"), cacheable("x"));
        expect(await t.cache.delete(request("/a", { method: "POST" }))).toBe(false);
        await expectHitWithBody(await t.cache.match(url("/a")), "x");
        expect(await t.cache.delete(request("/a", { method: "POST" }), { ignoreMethod: true })).toBe(true);
        expect(await t.cache.match(url("/a"))).toBeUndefined();
      });

      it("returns false for an expired entry", async () => {
        await t.cache.put(url("/a"), cacheable("x", { "Cache-Control": "max-age=60" }));
        t.clock.advance(60_000);
        expect(await t.cache.delete(url("/a"))).toBe(false);
        expect(await t.cache.match(url("/a"))).toBeUndefined();
      });

      it("deletes by cf.cacheKey, and only in its own cache", async () => {
        const named = await t.caches.open("named");
        await t.cache.put(request("/a", { cacheKey: "shared-key" }), cacheable("default"));
        await named.put(request("/a", { cacheKey: "shared-key" }), cacheable("named"));
        expect(await t.cache.delete(url("/a"))).toBe(false);
        expect(await named.delete(request("/b", { cacheKey: "shared-key" }))).toBe(true);
        await expectHitWithBody(await t.cache.match(request("/c", { cacheKey: "shared-key" })), "default");
      });
    });
  });
}
