import { describe, expect, it } from "vitest";
import { parseMultipartByteRanges } from "../blob-store/parse-multipart-byte-ranges.js";
import { fromUtf8, patternBytes } from "../blob-store/test-bytes.js";
import { expectHit, expectHitWithBody, expectSameBytes } from "./cache-expect.js";
import type { DescribeCacheOptions } from "./cache-fixture.js";
import { SIXTEEN, cacheable, request, url } from "./cache-test-data.js";
import { useCacheTestContext } from "./cache-test-context.js";

/** Range matches on a hit: 206 with one range, `multipart/byteranges` for several, 416 (spec cache.md §4 and its examples). */
export function describeCacheRanges(options: DescribeCacheOptions): void {
  describe(options.name, () => {
    describe("range match", () => {
      const t = useCacheTestContext(options);

      const ranged = (range: string, path = "/sixteen") => t.cache.match(request(path, { headers: { Range: range } }));
      const putSixteen = (headers: Record<string, string> = { "Cache-Control": "max-age=3600", "Content-Type": "text/plain" }) =>
        t.cache.put(url("/sixteen"), cacheable(SIXTEEN, headers));

      /** Expects a 206 with one range: its bytes, `Content-Range` and a `Content-Length` of the range. */
      async function expectSingleRange(response: Response | undefined, start: number, end: number, size = 16): Promise<Response> {
        const hit = expectHit(response, `bytes ${start}-${end}`);
        expect(hit.status).toBe(206);
        expect(hit.headers.get("Content-Range")).toBe(`bytes ${start}-${end}/${size}`);
        expect(hit.headers.get("Content-Length")).toBe(String(end - start + 1));
        return hit;
      }

      /** Expects a 416 with `Content-Range: bytes *\/size` and `CF-Cache-Status: HIT`. */
      function expectUnsatisfiable(response: Response | undefined, size: number, label: string): void {
        expect(response, label).toBeDefined();
        expect(response!.status, label).toBe(416);
        expect(response!.headers.get("Content-Range"), label).toBe(`bytes */${size}`);
        expect(response!.headers.get("CF-Cache-Status"), label).toBe("HIT");
      }

      it("answers one range with 206, Content-Range and the range's Content-Length: 0-4, -3, 0-1000", async () => {
        await putSixteen();
        expect(await (await expectSingleRange(await ranged("bytes=0-4"), 0, 4)).text()).toBe("01234");
        expect(await (await expectSingleRange(await ranged("bytes=-3"), 13, 15)).text()).toBe("def");
        expect(await (await expectSingleRange(await ranged("bytes=0-1000"), 0, 15)).text()).toBe(SIXTEEN);
        expect(await (await expectSingleRange(await ranged("bytes=10-"), 10, 15)).text()).toBe("abcdef");
      });

      it("keeps the stored headers on a 206 and replaces the stored Content-Length", async () => {
        await putSixteen({ "Cache-Control": "max-age=3600", "Content-Type": "text/plain", "Content-Length": "16", ETag: '"e"' });
        const hit = await expectSingleRange(await ranged("bytes=2-3"), 2, 3);
        expect(hit.headers.get("Content-Type")).toBe("text/plain");
        expect(hit.headers.get("ETag")).toBe('"e"');
        expect(await hit.text()).toBe("23");
      });

      it("accepts any case of bytes and spaces around the numbers", async () => {
        await putSixteen();
        expect(await (await expectSingleRange(await ranged(" BYTES = 2 - 3 "), 2, 3)).text()).toBe("23");
      });

      it("answers several ranges with multipart/byteranges, in order, unmerged, and no Content-Length", async () => {
        await putSixteen();
        const hit = expectHit(await ranged("bytes=0-1,3-4, 2-3,-2"));
        expect(hit.status).toBe(206);
        expect(hit.headers.has("Content-Length")).toBe(false);
        const contentType = hit.headers.get("Content-Type")!;
        const boundary = /^multipart\/byteranges; boundary=(.+)$/.exec(contentType)?.[1];
        expect(boundary, contentType).toBeDefined();
        const parts = parseMultipartByteRanges(new Uint8Array(await hit.arrayBuffer()), boundary!);
        expect(parts.map(({ contentType: type, start, end, size, data }) => ({ type, start, end, size, data: fromUtf8(data) }))).toEqual([
          { type: "text/plain", start: 0, end: 1, size: 16, data: "01" },
          { type: "text/plain", start: 3, end: 4, size: 16, data: "34" },
          { type: "text/plain", start: 2, end: 3, size: 16, data: "23" },
          { type: "text/plain", start: 14, end: 15, size: 16, data: "ef" },
        ]);
      });

      it("leaves the part Content-Type out when the stored response has none", async () => {
        await t.cache.put(url("/untyped"), new Response(new Uint8Array(16).fill(0x7a), { headers: { "Cache-Control": "max-age=3600" } }));
        const hit = expectHit(await ranged("bytes=0-0,15-15", "/untyped"));
        const boundary = /boundary=(.+)$/.exec(hit.headers.get("Content-Type")!)![1]!;
        const parts = parseMultipartByteRanges(new Uint8Array(await hit.arrayBuffer()), boundary);
        expect(parts.map((part) => part.contentType)).toEqual([undefined, undefined]);
      });

      it("answers 416 with Content-Range: bytes */16 for 100-, 5-2, items=0-1 and malformed ranges", async () => {
        await putSixteen();
        for (const range of ["bytes=100-", "bytes=16-20", "bytes=5-2", "items=0-1", "bytes=abc", "bytes=1-2-3", "bytes=-", "bytes=0-1,x"]) {
          expectUnsatisfiable(await ranged(range), 16, range);
        }
      });

      it("answers 416 bytes */0 for bytes=0- on an empty body", async () => {
        await t.cache.put(url("/empty"), cacheable(""));
        expectUnsatisfiable(await ranged("bytes=0-", "/empty"), 0, "bytes=0- on an empty body");
      });

      it("serves the whole body with 200 for -100, -0 and bytes= (nothing to range)", async () => {
        await putSixteen();
        for (const range of ["bytes=-100", "bytes=-16", "bytes=-0", "bytes=", "bytes=0-1,-100"]) {
          await expectHitWithBody(await ranged(range), SIXTEEN);
        }
      });

      it("skips -0 items among others", async () => {
        await putSixteen();
        expect(await (await expectSingleRange(await ranged("bytes=-0,2-3"), 2, 3)).text()).toBe("23");
      });

      it("reads exact ranges of a 2 MiB body, across several chunks", async () => {
        const bytes = patternBytes(2 * 1024 * 1024, 5);
        await t.cache.put(url("/large"), new Response(bytes, { headers: { "Cache-Control": "max-age=3600" } }));
        const [start, end] = [123_457, 1_987_654];
        const hit = await expectSingleRange(await ranged(`bytes=${start}-${end}`, "/large"), start, end, bytes.byteLength);
        expectSameBytes(new Uint8Array(await hit.arrayBuffer()), bytes.subarray(start, end + 1), "range");
        const multi = expectHit(await ranged("bytes=0-99999,-100000", "/large"));
        const boundary = /boundary=(.+)$/.exec(multi.headers.get("Content-Type")!)![1]!;
        const parts = parseMultipartByteRanges(new Uint8Array(await multi.arrayBuffer()), boundary);
        expectSameBytes(parts[0]!.data, bytes.subarray(0, 100_000), "first part");
        expectSameBytes(parts[1]!.data, bytes.subarray(bytes.byteLength - 100_000), "second part");
      });
    });
  });
}
