import { describe, expect, it } from "vitest";
import { expectHit, expectHitWithBody } from "./cache-expect.js";
import type { DescribeCacheOptions } from "./cache-fixture.js";
import { cacheable, httpDate, request, url } from "./cache-test-data.js";
import { CACHE_TEST_START, useCacheTestContext } from "./cache-test-context.js";

const LAST_MODIFIED = CACHE_TEST_START - 3600_000;

/** Conditional matches: `If-None-Match` (weak comparison, `*`) and `If-Modified-Since` (strict IMF-fixdate) (spec cache.md §4). */
export function describeCacheConditionals(options: DescribeCacheOptions): void {
  describe(options.name, () => {
    describe("conditional match", () => {
      const t = useCacheTestContext(options);

      const conditional = (headers: Record<string, string>) => t.cache.match(request("/a", { headers }));

      /** Expects a 304 carrying the stored headers, `CF-Cache-Status: HIT` and no body. */
      async function expectNotModified(response: Response | undefined, label: string): Promise<void> {
        const hit = expectHit(response, label);
        expect(hit.status, label).toBe(304);
        expect(hit.headers.get("X-Stored"), `${label}: stored headers`).toBe("yes");
        expect(await hit.text(), `${label}: no body`).toBe("");
      }

      it('answers 304 when If-None-Match matches the ETag weakly: "abc", W/"abc", a list, or *', async () => {
        await t.cache.put(url("/a"), cacheable("body", { "Cache-Control": "max-age=3600", ETag: '"abc"', "X-Stored": "yes" }));
        for (const ifNoneMatch of ['"abc"', 'W/"abc"', 'W/"abc", "x"', '"x", "abc"', "*", "  *  "]) {
          await expectNotModified(await conditional({ "If-None-Match": ifNoneMatch }), ifNoneMatch);
        }
        for (const ifNoneMatch of ['"zzz"', "abc", '"ab"']) {
          await expectHitWithBody(await conditional({ "If-None-Match": ifNoneMatch }), "body");
        }
      });

      it("compares a weak stored ETag weakly too", async () => {
        await t.cache.put(url("/a"), cacheable("body", { "Cache-Control": "max-age=3600", ETag: 'W/"abc"', "X-Stored": "yes" }));
        await expectNotModified(await conditional({ "If-None-Match": '"abc"' }), '"abc" against W/"abc"');
      });

      it("ignores If-None-Match when the stored ETag is not a quoted tag, even for *", async () => {
        await t.cache.put(url("/a"), cacheable("body", { "Cache-Control": "max-age=3600", ETag: "abc" }));
        await expectHitWithBody(await conditional({ "If-None-Match": "*" }), "body");
        await expectHitWithBody(await conditional({ "If-None-Match": '"abc"' }), "body");
        await t.cache.put(url("/b"), cacheable("body", { "Cache-Control": "max-age=3600" }));
        await expectHitWithBody(await t.cache.match(request("/b", { headers: { "If-None-Match": "*" } })), "body");
      });

      it("answers 304 when Last-Modified is at or before If-Modified-Since", async () => {
        await t.cache.put(url("/a"), cacheable("body", { "Cache-Control": "max-age=3600", "Last-Modified": httpDate(LAST_MODIFIED), "X-Stored": "yes" }));
        await expectNotModified(await conditional({ "If-Modified-Since": httpDate(LAST_MODIFIED) }), "equal");
        await expectNotModified(await conditional({ "If-Modified-Since": httpDate(LAST_MODIFIED + 1000) }), "later");
        await expectHitWithBody(await conditional({ "If-Modified-Since": httpDate(LAST_MODIFIED - 1000) }), "body");
      });

      it("compares only strict IMF-fixdates: an ISO or RFC 850 If-Modified-Since gets the full response", async () => {
        await t.cache.put(url("/a"), cacheable("body", { "Cache-Control": "max-age=3600", "Last-Modified": httpDate(LAST_MODIFIED) }));
        await expectHitWithBody(await conditional({ "If-Modified-Since": new Date(LAST_MODIFIED + 1000).toISOString() }), "body");
        await expectHitWithBody(await conditional({ "If-Modified-Since": "Thursday, 01-Jan-26 00:00:00 GMT" }), "body");
        await t.cache.put(url("/b"), cacheable("body", { "Cache-Control": "max-age=3600", "Last-Modified": new Date(LAST_MODIFIED).toISOString() }));
        await expectHitWithBody(await t.cache.match(request("/b", { headers: { "If-Modified-Since": httpDate(CACHE_TEST_START) } })), "body");
      });

      it("checks conditionals before Range: a matching If-None-Match answers 304 whatever the range", async () => {
        await t.cache.put(url("/a"), cacheable("0123456789", { "Cache-Control": "max-age=3600", ETag: '"abc"', "X-Stored": "yes" }));
        await expectNotModified(await conditional({ "If-None-Match": '"abc"', Range: "bytes=0-1" }), "with a satisfiable range");
        await expectNotModified(await conditional({ "If-None-Match": '"abc"', Range: "bytes=100-" }), "with an unsatisfiable range");
      });
    });
  });
}
