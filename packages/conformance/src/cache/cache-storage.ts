import { describe, expect, it } from "vitest";
import { fromUtf8 } from "../blob-store/test-bytes.js";
import { expectHit, expectHitWithBody } from "./cache-expect.js";
import type { DescribeCacheOptions } from "./cache-fixture.js";
import { cacheable, httpDate, request, url } from "./cache-test-data.js";
import { CACHE_TEST_START, useCacheTestContext } from "./cache-test-context.js";

/**
 * What is stored, read through the fixture's backdoor hooks: Miniflare's row shape (spec
 * cache.md §5), the body alone in one blob per entry, no blob left by a put that stores nothing,
 * the purge of expired entries (C3), the orphan sweep (C7) and persistence.
 */
export function describeCacheStorage(options: DescribeCacheOptions): void {
  const capabilities = options.capabilities ?? {};
  describe(options.name, () => {
    describe("storage", () => {
      const t = useCacheTestContext(options);

      it.skipIf(!capabilities.rows)("writes Miniflare's row: key, blob_id, expiration, metadata {headers, status, size} [inspect.rows]", async () => {
        await t.cache.put(url("/a"), cacheable("hello", { "Cache-Control": "max-age=60", "X-Custom": "1" }, 404));
        const [row, ...others] = await t.hook("rows")();
        expect(others).toEqual([]);
        expect(row).toMatchObject({ key: url("/a"), expiration: CACHE_TEST_START + 60_000 });
        expect(row!.blob_id).toMatch(/^[A-Za-z0-9_-][A-Za-z0-9._-]*$/);
        expect(Object.keys(JSON.parse(row!.metadata!))).toEqual(["headers", "status", "size"]);
        const metadata = JSON.parse(row!.metadata!) as { headers: [string, string][]; status: number; size: number };
        expect(metadata.status).toBe(404);
        expect(metadata.size).toBe(5);
        expect(metadata.headers).toEqual(
          expect.arrayContaining([
            ["cache-control", "max-age=60"],
            ["x-custom", "1"],
            ["age", "0"],
            ["date", httpDate(CACHE_TEST_START)],
          ]),
        );
        expect(metadata.headers.every(([name]) => name === name.toLowerCase())).toBe(true);
        expect(metadata.headers.some(([name]) => name === "cf-cache-status")).toBe(false);
      });

      it.skipIf(!capabilities.rows)("stores an entry under its cf.cacheKey, and named caches in their own database [inspect.rows]", async () => {
        await t.cache.put(request("/a", { cacheKey: "my-key" }), cacheable("x"));
        await (await t.caches.open("named")).put(url("/b"), cacheable("x"));
        expect((await t.hook("rows")()).map((row) => row.key)).toEqual(["my-key"]);
        expect((await t.hook("rows")("named")).map((row) => row.key)).toEqual([url("/b")]);
      });

      it.skipIf(!capabilities.rows || !capabilities.blobBytes)("keeps the body alone in the blob [inspect.rows, inspect.blobBytes]", async () => {
        await t.cache.put(url("/a"), cacheable("just the body", { "Cache-Control": "max-age=60", "X-Header": "not in the blob" }));
        const [row] = await t.hook("rows")();
        expect(fromUtf8((await t.hook("blobBytes")(row!.blob_id))!)).toBe("just the body");
      });

      it.skipIf(!capabilities.blobCount)("keeps one blob per entry: an overwrite keeps the count, a delete removes one [inspect.blobCount]", async () => {
        const blobCount = t.hook("blobCount");
        await t.cache.put(url("/a"), cacheable("one"));
        await t.cache.put(url("/empty"), cacheable(""));
        expect(await blobCount()).toBe(2);
        await t.cache.put(url("/a"), cacheable("two"));
        await t.cache.put(url("/a"), cacheable(new Uint8Array(100_000)));
        expect(await blobCount()).toBe(2);
        await t.cache.delete(url("/a"));
        expect(await blobCount()).toBe(1);
        await t.cache.delete(url("/empty"));
        expect(await blobCount()).toBe(0);
      });

      it.skipIf(!capabilities.blobCount)("leaves no blob behind a put that stores nothing [inspect.blobCount]", async () => {
        await t.cache.put(url("/no-store"), cacheable("x", { "Cache-Control": "no-store" }));
        await t.cache.put(url("/stale"), cacheable("x", { "Cache-Control": "max-age=0" }));
        await t.cache.put(url("/liar"), cacheable("0123456789", { "Cache-Control": "max-age=60", "Content-Length": "5" }));
        await t.cache.put(url("/liar-large"), cacheable(new Uint8Array(100_000), { "Cache-Control": "max-age=60", "Content-Length": "99999" }));
        await t.cache.put(url("/$__MINIFLARE_SITES__$/a"), cacheable("x"));
        expect(await t.hook("blobCount")()).toBe(0);
      });

      it.skipIf(!capabilities.blobCount)("rejects with the body's own error when it fails midway, storing nothing and keeping the older entry [inspect.blobCount]", async () => {
        await t.cache.put(url("/a"), cacheable("older"));
        let sent = 0;
        const failing = new ReadableStream<Uint8Array>({
          pull(controller) {
            if (sent++ < 10) controller.enqueue(new Uint8Array(32 * 1024));
            else controller.error(new Error("connection reset"));
          },
        });
        await expect(t.cache.put(url("/a"), cacheable(failing))).rejects.toThrow("connection reset");
        await expectHitWithBody(await t.cache.match(url("/a")), "older");
        expect(await t.hook("blobCount")()).toBe(1);
      });

      it.skipIf(!capabilities.blobCount)("deletes the blob of an expired entry when it is matched [inspect.blobCount]", async () => {
        await t.cache.put(url("/expiring"), cacheable("x", { "Cache-Control": "max-age=60" }));
        await t.cache.put(url("/staying"), cacheable("x", { "Cache-Control": "max-age=600" }));
        t.clock.advance(60_000);
        expect(await t.cache.match(url("/expiring"))).toBeUndefined();
        expect(await t.hook("blobCount")()).toBe(1);
      });

      it.skipIf(!capabilities.purgeExpired || !capabilities.rows || !capabilities.blobCount)(
        "purges expired entries and their blobs without their being matched (C3) [maintenance.purgeExpired, inspect.rows, inspect.blobCount]",
        async () => {
          const named = await t.caches.open("named");
          for (let index = 0; index < 5; index++) await t.cache.put(url(`/short/${index}`), cacheable("x", { "Cache-Control": "max-age=60" }));
          await named.put(url("/short"), cacheable("x", { "Cache-Control": "max-age=60" }));
          await t.cache.put(url("/long"), cacheable("x", { "Cache-Control": "max-age=600" }));
          t.clock.advance(60_000);
          expect(await t.maintenance("purgeExpired")()).toBe(6);
          expect((await t.hook("rows")()).map((row) => row.key)).toEqual([url("/long")]);
          expect(await t.hook("rows")("named")).toEqual([]);
          expect(await t.hook("blobCount")()).toBe(1);
          expect(await t.hook("blobCount")("named")).toBe(0);
          await expectHitWithBody(await t.cache.match(url("/long")), "x");
        },
      );

      it.skipIf(!capabilities.sweep || !capabilities.blobCount)(
        "sweeps orphan blobs older than the grace period, never a referenced one (C7) [maintenance.sweep, inspect.blobCount]",
        async () => {
          await t.cache.put(url("/kept"), cacheable("x", { "Cache-Control": "max-age=3600000" }));
          await t.hook("orphanBlob")();
          t.clock.advance(10 * 60_000);
          const young = await t.hook("orphanBlob")();
          expect(young).toBeTypeOf("string");
          expect(await t.hook("blobCount")()).toBe(3);
          expect((await t.maintenance("sweep")({ graceMs: 5 * 60_000 })).deletedBlobs).toBe(1);
          expect(await t.hook("blobCount")()).toBe(2);
          t.clock.advance(10 * 60_000);
          expect((await t.maintenance("sweep")({ graceMs: 5 * 60_000 })).deletedBlobs).toBe(1);
          expect(await t.hook("blobCount")()).toBe(1);
          await expectHitWithBody(await t.cache.match(url("/kept")), "x");
        },
      );

      it.skipIf(!capabilities.removeBlob || !capabilities.rows)(
        "misses, and drops the entry, when a live entry's blob is gone [inspect.removeBlob, inspect.rows]",
        async () => {
          await t.cache.put(url("/lost"), cacheable("x"));
          await t.cache.put(url("/fine"), cacheable("x"));
          await t.hook("removeBlob")(url("/lost"));
          expect(await t.cache.match(url("/lost"))).toBeUndefined();
          expect((await t.hook("rows")()).map((row) => row.key)).toEqual([url("/fine")]);
          await t.cache.put(url("/lost"), cacheable("restored"));
          await expectHitWithBody(await t.cache.match(url("/lost")), "restored");
        },
      );

      it.skipIf(!capabilities.persistent)("keeps entries across a reopen, with their expiry [persistent]", async () => {
        await t.cache.put(url("/a"), cacheable("survives", { "Cache-Control": "max-age=60", ETag: '"v1"' }));
        await (await t.caches.open("named")).put(url("/b"), cacheable("named survives"));
        const reopened = await t.reopen();
        const headers = await expectHitWithBody(await reopened.default.match(url("/a")), "survives");
        expect(headers.get("ETag")).toBe('"v1"');
        await expectHitWithBody(await (await reopened.open("named")).match(url("/b")), "named survives");
        t.clock.advance(60_000);
        expect(await reopened.default.match(url("/a"))).toBeUndefined();
        expectHit(await (await reopened.open("named")).match(url("/b")));
      });
    });
  });
}
