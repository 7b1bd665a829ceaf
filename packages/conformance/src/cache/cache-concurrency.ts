import { describe, expect, it } from "vitest";
import { patternBytes } from "../blob-store/test-bytes.js";
import { expectHit, expectHitWithBody, expectSameBytes } from "./cache-expect.js";
import type { DescribeCacheOptions } from "./cache-fixture.js";
import { cacheable, url } from "./cache-test-data.js";
import { useCacheTestContext } from "./cache-test-context.js";

/** Concurrent calls in one process: last call wins per URL, nothing interleaves (spec cache.md, "concurrent puts"). */
export function describeCacheConcurrency(options: DescribeCacheOptions): void {
  describe(options.name, () => {
    describe("concurrency", () => {
      const t = useCacheTestContext(options);

      /** A body of `size` bytes that arrives after `delayMs`, so puts finish out of call order. */
      function slowBody(text: string, padding: number, delayMs: number): ReadableStream<Uint8Array> {
        return new ReadableStream<Uint8Array>({
          async pull(controller) {
            await new Promise((resolve) => setTimeout(resolve, delayMs));
            controller.enqueue(new TextEncoder().encode(text + " ".repeat(padding)));
            controller.close();
          },
        });
      }

      it("lets the put called last win when puts to one URL finish out of order", async () => {
        const puts = Array.from({ length: 20 }, (_, index) =>
          t.cache.put(url("/contended"), cacheable(slowBody(`v${index}`, (20 - index) * 5000, (20 - index) % 7))),
        );
        await Promise.all(puts);
        const hit = expectHit(await t.cache.match(url("/contended")));
        expect((await hit.text()).trimEnd()).toBe("v19");
      });

      it("lets a delete called after a put win, and a put called after a delete", async () => {
        await Promise.all([t.cache.put(url("/a"), cacheable(slowBody("a", 0, 10))), t.cache.delete(url("/a"))]);
        expect(await t.cache.match(url("/a"))).toBeUndefined();
        await t.cache.put(url("/b"), cacheable("old"));
        const [deleted] = await Promise.all([t.cache.delete(url("/b")), t.cache.put(url("/b"), cacheable(slowBody("new", 0, 10)))]);
        expect(deleted).toBe(true);
        await expectHitWithBody(await t.cache.match(url("/b")), "new");
      });

      it("stores 100 parallel puts to different URLs", async () => {
        await Promise.all(Array.from({ length: 100 }, (_, index) => t.cache.put(url(`/k${index}`), cacheable(`value ${index}`))));
        const bodies = await Promise.all(Array.from({ length: 100 }, async (_, index) => (await t.cache.match(url(`/k${index}`)))?.text()));
        expect(bodies).toEqual(Array.from({ length: 100 }, (_, index) => `value ${index}`));
      });

      it("never serves part of a body: matches during a put see the old or the new body, whole", async () => {
        const older = patternBytes(300_000, 1);
        const newer = patternBytes(400_000, 2);
        await t.cache.put(url("/a"), new Response(older, { headers: { "Cache-Control": "max-age=3600" } }));
        const putting = t.cache.put(url("/a"), new Response(newer, { headers: { "Cache-Control": "max-age=3600" } }));
        const seen = await Promise.all(
          Array.from({ length: 5 }, async () => new Uint8Array(await expectHit(await t.cache.match(url("/a"))).arrayBuffer())),
        );
        await putting;
        for (const bytes of seen) expectSameBytes(bytes, bytes.byteLength === older.byteLength ? older : newer, "a body seen during a put");
        expectSameBytes(new Uint8Array(await expectHit(await t.cache.match(url("/a"))).arrayBuffer()), newer, "after the put");
      });
    });
  });
}
