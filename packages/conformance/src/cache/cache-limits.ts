import { describe, expect, it } from "vitest";
import { expectHitWithBody } from "./cache-expect.js";
import type { DescribeCacheOptions } from "./cache-fixture.js";
import { cacheable, countingStream, url } from "./cache-test-data.js";
import { useCacheTestContext } from "./cache-test-context.js";

const LIMIT = 200 * 1024;

/**
 * The object size limit (C4) and honest sizes (C5): a body over the limit, or one that disagrees
 * with its `Content-Length`, is drained and not stored, and `put` still resolves.
 */
export function describeCacheLimits(options: DescribeCacheOptions): void {
  const capabilities = options.capabilities ?? {};
  describe(options.name, () => {
    describe("size limits", () => {
      const t = useCacheTestContext(options, { maxObjectSize: LIMIT });

      it.skipIf(!capabilities.maxObjectSize)("stores a body of exactly maxObjectSize, drains and drops a larger one (C4) [maxObjectSize]", async () => {
        await t.cache.put(url("/fits"), cacheable(countingStream(LIMIT).stream));
        const fits = await t.cache.match(url("/fits"));
        expect((await fits!.arrayBuffer()).byteLength).toBe(LIMIT);
        await t.cache.put(url("/older"), cacheable("older"));
        const over = countingStream(LIMIT + 1);
        await expect(t.cache.put(url("/older"), cacheable(over.stream))).resolves.toBeUndefined();
        expect(over.pulled()).toBe(LIMIT + 1);
        await expectHitWithBody(await t.cache.match(url("/older")), "older");
      });

      it.skipIf(!capabilities.maxObjectSize)("drops a body whose Content-Length is over maxObjectSize, draining it (C4) [maxObjectSize]", async () => {
        const over = countingStream(LIMIT + 10);
        await t.cache.put(url("/declared"), cacheable(over.stream, { "Cache-Control": "max-age=3600", "Content-Length": String(LIMIT + 10) }));
        expect(await t.cache.match(url("/declared"))).toBeUndefined();
        expect(over.pulled()).toBe(LIMIT + 10);
      });

      it.skipIf(!capabilities.maxObjectSize)("drops an over-limit body that is small when it arrives in one piece (C4) [maxObjectSize]", async () => {
        await t.cache.put(url("/bytes"), cacheable(new Uint8Array(LIMIT + 1)));
        expect(await t.cache.match(url("/bytes"))).toBeUndefined();
      });

      it("stores nothing when Content-Length disagrees with the body, smaller or larger (C5)", async () => {
        await t.cache.put(url("/a"), cacheable("older"));
        for (const declared of ["3", "100", "abc"]) {
          await t.cache.put(url("/a"), cacheable("0123456789", { "Cache-Control": "max-age=3600", "Content-Length": declared }));
          await expectHitWithBody(await t.cache.match(url("/a")), "older");
        }
        const large = countingStream(300 * 1024);
        await t.cache.put(url("/large"), cacheable(large.stream, { "Cache-Control": "max-age=3600", "Content-Length": String(300 * 1024 - 1) }));
        expect(await t.cache.match(url("/large"))).toBeUndefined();
      });

      it("stores a body whose Content-Length is right", async () => {
        await t.cache.put(url("/a"), cacheable("0123456789", { "Cache-Control": "max-age=3600", "Content-Length": "10" }));
        const headers = await expectHitWithBody(await t.cache.match(url("/a")), "0123456789");
        expect(headers.get("Content-Length")).toBe("10");
      });

      it.skipIf(!capabilities.rows)("records the counted size in metadata, with or without Content-Length (C5) [inspect.rows]", async () => {
        await t.cache.put(url("/counted"), cacheable(countingStream(70_000).stream));
        await t.cache.put(url("/declared"), cacheable("abc", { "Cache-Control": "max-age=3600", "Content-Length": "3" }));
        const sizes = (await t.hook("rows")()).map((row) => [row.key, JSON.parse(row.metadata!).size]);
        expect(sizes).toEqual([
          [url("/counted"), 70_000],
          [url("/declared"), 3],
        ]);
      });
    });
  });
}
