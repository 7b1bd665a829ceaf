import { describe, expect, it } from "vitest";
import { expectCacheTypeError, expectHitWithBody } from "./cache-expect.js";
import type { DescribeCacheOptions } from "./cache-fixture.js";
import { cacheable, request, url } from "./cache-test-data.js";
import { useCacheTestContext } from "./cache-test-context.js";

/** The runtime's rejections, with their exact messages, leaving stored data unchanged (spec cache.md §2). */
export function describeCacheValidation(options: DescribeCacheOptions): void {
  describe(options.name, () => {
    describe("validation", () => {
      const t = useCacheTestContext(options);

      it("rejects a put with a non-GET request: Cannot cache response to non-GET request.", async () => {
        await t.cache.put(url("/a"), cacheable("kept"));
        for (const method of ["POST", "HEAD", "PUT", "DELETE"]) {
          await expectCacheTypeError(() => t.cache.put(request("/a", { method }), cacheable("new")), "Cannot cache response to non-GET request.");
        }
        await expectHitWithBody(await t.cache.match(url("/a")), "kept");
      });

      it("rejects a 206 response: Cannot cache response to a range request (206 Partial Content).", async () => {
        await expectCacheTypeError(
          () => t.cache.put(url("/a"), cacheable("part", { "Cache-Control": "max-age=60", "Content-Range": "bytes 0-3/10" }, 206)),
          "Cannot cache response to a range request (206 Partial Content).",
        );
        expect(await t.cache.match(url("/a"))).toBeUndefined();
      });

      it("rejects Vary: * anywhere in the header: Cannot cache response with 'Vary: *' header.", async () => {
        for (const vary of ["*", "Accept, *"]) {
          await expectCacheTypeError(
            () => t.cache.put(url("/a"), cacheable("x", { "Cache-Control": "max-age=60", Vary: vary })),
            "Cannot cache response with 'Vary: *' header.",
          );
        }
        expect(await t.cache.match(url("/a"))).toBeUndefined();
      });

      it("rejects Response.error(): Cache is unable to store an error response", async () => {
        await expectCacheTypeError(() => t.cache.put(url("/a"), Response.error()), "Cache is unable to store an error response");
      });

      it("rejects a response whose body was already read", async () => {
        const used = cacheable("read already");
        await used.text();
        await expectCacheTypeError(
          () => t.cache.put(url("/a"), used),
          "Body has already been used. It can only be used once. Use tee() first if you need to read it twice.",
        );
        expect(await t.cache.match(url("/a"))).toBeUndefined();
      });

      it("rejects keys that are not absolute URLs, on put, match and delete", async () => {
        const message = "Invalid URL. Cache API keys must be fully-qualified, valid URLs.";
        for (const key of ["/relative/path", "not a url", ""]) {
          await expectCacheTypeError(() => t.cache.put(key, cacheable("x")), message);
          await expectCacheTypeError(() => t.cache.match(key), message);
          await expectCacheTypeError(() => t.cache.delete(key), message);
        }
      });

      it("rejects cache names of 1024 UTF-8 bytes or more: Cache name is too long.", async () => {
        await expectCacheTypeError(() => t.caches.open("n".repeat(1024)), "Cache name is too long.");
        await expectCacheTypeError(() => t.caches.open("é".repeat(512)), "Cache name is too long.");
        const longest = await t.caches.open("n".repeat(1023));
        await longest.put(url("/a"), cacheable("fits"));
        await expectHitWithBody(await longest.match(url("/a")), "fits");
      });

      it("resolves a put of a 304 without storing it or touching the older entry", async () => {
        await t.cache.put(url("/a"), cacheable("older"));
        await expect(t.cache.put(url("/a"), new Response(null, { status: 304, headers: { "Cache-Control": "max-age=60" } }))).resolves.toBeUndefined();
        await expectHitWithBody(await t.cache.match(url("/a")), "older");
        await t.cache.put(url("/b"), new Response(null, { status: 304, headers: { "Cache-Control": "max-age=60" } }));
        expect(await t.cache.match(url("/b"))).toBeUndefined();
      });

      it("rejects asynchronously: calls return a promise instead of throwing", () => {
        const rejected = [
          t.cache.put(request("/a", { method: "POST" }), cacheable("x")),
          t.cache.match("not a url"),
          t.cache.delete("not a url"),
          t.caches.open("n".repeat(2000)),
        ];
        for (const promise of rejected) expect(promise).toBeInstanceOf(Promise);
        return Promise.all(rejected.map((promise) => expect(promise).rejects.toBeInstanceOf(TypeError)));
      });
    });
  });
}
