import { describe, expect, it } from "vitest";
import { patternBytes, splitUnevenly } from "../blob-store/test-bytes.js";
import { expectHit, expectHitWithBody, expectSameBytes } from "./cache-expect.js";
import type { DescribeCacheOptions } from "./cache-fixture.js";
import { cacheable, httpDate, request, url } from "./cache-test-data.js";
import { CACHE_TEST_START, useCacheTestContext } from "./cache-test-context.js";

/** `put` then `match`: what a hit returns (spec cache.md §1, §3 "Stored headers", §4). */
export function describeCachePutMatch(options: DescribeCacheOptions): void {
  describe(options.name, () => {
    describe("put and match", () => {
      const t = useCacheTestContext(options);

      it("returns the stored status, headers and body, plus CF-Cache-Status: HIT", async () => {
        await t.cache.put(url("/a"), cacheable("hello", { "Cache-Control": "max-age=3600", "Content-Type": "text/x-test", "X-Custom": "1" }));
        const headers = await expectHitWithBody(await t.cache.match(url("/a")), "hello");
        expect(headers.get("Content-Type")).toBe("text/x-test");
        expect(headers.get("X-Custom")).toBe("1");
        expect(headers.get("Cache-Control")).toBe("max-age=3600");
      });

      it("takes the key as a string, a URL or a Request, interchangeably", async () => {
        await t.cache.put(new URL(url("/u")), cacheable("from URL"));
        await expectHitWithBody(await t.cache.match(url("/u")), "from URL");
        await t.cache.put(request("/r"), cacheable("from Request"));
        await expectHitWithBody(await t.cache.match(new URL(url("/r"))), "from Request");
        await expectHitWithBody(await t.cache.match(request("/u")), "from URL");
      });

      it("misses for a URL never stored, and for another path or query string", async () => {
        await t.cache.put(url("/a?x=1"), cacheable("query"));
        expect(await t.cache.match(url("/nothing"))).toBeUndefined();
        expect(await t.cache.match(url("/a"))).toBeUndefined();
        expect(await t.cache.match(url("/a?x=2"))).toBeUndefined();
        await expectHitWithBody(await t.cache.match(url("/a?x=1")), "query");
      });

      it("replaces an entry on a second put", async () => {
        await t.cache.put(url("/a"), cacheable("first", { "Cache-Control": "max-age=3600", "X-Version": "1" }));
        await t.cache.put(url("/a"), cacheable("second", { "Cache-Control": "max-age=3600", "X-Version": "2" }));
        const headers = await expectHitWithBody(await t.cache.match(url("/a")), "second");
        expect(headers.get("X-Version")).toBe("2");
      });

      it("caches 404 and 302 responses with max-age under their original status", async () => {
        await t.cache.put(url("/missing"), cacheable("not here", { "Cache-Control": "max-age=60" }, 404));
        await t.cache.put(url("/moved"), cacheable(null, { "Cache-Control": "max-age=60", Location: "/elsewhere" }, 302));
        await expectHitWithBody(await t.cache.match(url("/missing")), "not here", 404);
        const moved = expectHit(await t.cache.match(url("/moved")));
        expect(moved.status).toBe(302);
        expect(moved.headers.get("Location")).toBe("/elsewhere");
      });

      it("stores an empty body, and a 204 without a body", async () => {
        await t.cache.put(url("/empty"), cacheable(""));
        await t.cache.put(url("/no-content"), cacheable(null, { "Cache-Control": "max-age=60" }, 204));
        await expectHitWithBody(await t.cache.match(url("/empty")), "");
        const noContent = expectHit(await t.cache.match(url("/no-content")));
        expect(noContent.status).toBe(204);
        expect(noContent.body).toBeNull();
      });

      it("streams a 3 MiB body in uneven chunks in and out exactly", async () => {
        const bytes = patternBytes(3 * 1024 * 1024);
        const chunks = splitUnevenly(bytes, 200_000);
        const body = new ReadableStream<Uint8Array>({
          pull(controller) {
            const chunk = chunks.shift();
            if (chunk === undefined) controller.close();
            else controller.enqueue(chunk);
          },
        });
        await t.cache.put(url("/big"), cacheable(body));
        const hit = expectHit(await t.cache.match(url("/big")));
        expectSameBytes(new Uint8Array(await hit.arrayBuffer()), bytes, "body");
      });

      it("returns a new response on every match: bodies are read independently", async () => {
        await t.cache.put(url("/a"), cacheable("twice"));
        const first = expectHit(await t.cache.match(url("/a")));
        const second = expectHit(await t.cache.match(url("/a")));
        expect(first).not.toBe(second);
        expect(await second.text()).toBe("twice");
        expect(await first.text()).toBe("twice");
      });

      it("sets Date to the put time and Age to the stored age, replacing the response's own Date", async () => {
        t.clock.advance(5_000);
        await t.cache.put(url("/dated"), cacheable("x", { "Cache-Control": "max-age=3600", Date: httpDate(CACHE_TEST_START - 86_400_000) }));
        const headers = expectHit(await t.cache.match(url("/dated"))).headers;
        expect(headers.get("Date")).toBe(httpDate(CACHE_TEST_START + 5_000));
        expect(headers.get("Age")).toBe("0");
      });

      it("reports in Age how long the response has been cached, plus the Age it was stored with", async () => {
        await t.cache.put(url("/fresh"), cacheable("x", { "Cache-Control": "max-age=3600" }));
        await t.cache.put(url("/aged"), cacheable("x", { "Cache-Control": "max-age=3600", Age: "100" }));
        t.clock.advance(30_000);
        expect(expectHit(await t.cache.match(url("/fresh"))).headers.get("Age")).toBe("30");
        expect(expectHit(await t.cache.match(url("/aged"))).headers.get("Age")).toBe("130");
        t.clock.advance(1_999);
        expect(expectHit(await t.cache.match(url("/fresh"))).headers.get("Age")).toBe("31");
      });

      it("drops hop-by-hop headers, headers listed in Connection, and 1xx warnings, keeping the others", async () => {
        await t.cache.put(
          url("/hop"),
          cacheable("x", {
            "Cache-Control": "max-age=3600",
            Connection: "close, x-listed",
            "X-Listed": "dropped",
            "Transfer-Encoding": "chunked",
            "Keep-Alive": "timeout=5",
            Trailer: "Expires",
            Upgrade: "websocket",
            "Proxy-Authenticate": "Basic",
            Warning: '110 - "stale", 299 - "misc"',
            "X-Kept": "yes",
          }),
        );
        const headers = expectHit(await t.cache.match(url("/hop"))).headers;
        for (const name of ["Connection", "X-Listed", "Transfer-Encoding", "Keep-Alive", "Trailer", "Upgrade", "Proxy-Authenticate"]) expect(headers.has(name), name).toBe(false);
        expect(headers.get("Warning")).toBe('299 - "misc"');
        expect(headers.get("X-Kept")).toBe("yes");
      });

      it("resolves put with undefined", async () => {
        expect(await t.cache.put(url("/a"), cacheable("x"))).toBeUndefined();
      });
    });
  });
}
