import { describe, expect, it } from "vitest";
import { createBlobId, type ByteRange } from "@cellar/blob-store";
import type { DescribeBlobStoreOptions } from "./blob-store-fixture.js";
import { useBlobStoreTestContext } from "./blob-store-test-context.js";
import { expectRejectionCode } from "./expect-rejection.js";
import { parseMultipartByteRanges } from "./parse-multipart-byte-ranges.js";
import { expectBlobBytes } from "./expect-blob-bytes.js";
import { MALFORMED_RANGES } from "./ranges.js";
import { allByteValues, fromUtf8, patternBytes, readStreamBytes, sha256Hex, utf8 } from "./test-bytes.js";

const ALPHABET = "0123456789abcdefghij";

/** `getRanges`: the exact `multipart/byteranges` framing, order, laziness and errors. */
export function describeBlobStoreMultipleRanges(options: DescribeBlobStoreOptions): void {
  describe(options.name, () => {
    describe("multiple ranges", () => {
      const t = useBlobStoreTestContext(options);

      it("builds the exact multipart body, with a content type in every part", async () => {
        const id = await t.store.put(ALPHABET);
        const result = await t.store.getRanges(id, [{ start: 0, end: 1 }, { start: 5, end: 9 }], {
          contentType: "text/plain",
          boundary: "test-boundary",
        });
        expect(result).not.toBeNull();
        expect(result!.contentType).toBe("multipart/byteranges; boundary=test-boundary");
        expect(result!.boundary).toBe("test-boundary");
        expect(fromUtf8(await readStreamBytes(result!.body))).toBe(
          "--test-boundary\r\nContent-Type: text/plain\r\nContent-Range: bytes 0-1/20\r\n\r\n01" +
            "\r\n--test-boundary\r\nContent-Type: text/plain\r\nContent-Range: bytes 5-9/20\r\n\r\n56789" +
            "\r\n--test-boundary--",
        );
      });

      it("omits the part content type when none is given", async () => {
        const id = await t.store.put(ALPHABET);
        const result = await t.store.getRanges(id, [{ start: 19, end: 19 }, { start: 0, end: 0 }], { boundary: "b" });
        expect(fromUtf8(await readStreamBytes(result!.body))).toBe(
          "--b\r\nContent-Range: bytes 19-19/20\r\n\r\nj\r\n--b\r\nContent-Range: bytes 0-0/20\r\n\r\n0\r\n--b--",
        );
      });

      it("keeps ranges in the given order, overlapping or not", async () => {
        const id = await t.store.put(ALPHABET);
        const ranges = [
          { start: 10, end: 12 },
          { start: 0, end: 2 },
          { start: 1, end: 3 },
          { start: 0, end: 19 },
        ];
        const result = await t.store.getRanges(id, ranges, { contentType: "text/plain" });
        const parts = parseMultipartByteRanges(await readStreamBytes(result!.body), result!.boundary);
        expect(parts.map((part) => [part.start, part.end, part.size, fromUtf8(part.data), part.contentType])).toEqual([
          [10, 12, 20, "abc", "text/plain"],
          [0, 2, 20, "012", "text/plain"],
          [1, 3, 20, "123", "text/plain"],
          [0, 19, 20, ALPHABET, "text/plain"],
        ]);
      });

      it("uses a fresh boundary by default", async () => {
        const id = await t.store.put(ALPHABET);
        const first = await t.store.getRanges(id, [{ start: 0, end: 0 }]);
        const second = await t.store.getRanges(id, [{ start: 0, end: 0 }]);
        expect(first!.boundary).not.toBe(second!.boundary);
        expect(first!.contentType).toBe(`multipart/byteranges; boundary=${first!.boundary}`);
        expect(first!.boundary.length).toBeGreaterThanOrEqual(16);
        const parts = parseMultipartByteRanges(await readStreamBytes(first!.body), first!.boundary);
        expect(parts).toHaveLength(1);
        expect(parts[0]!.contentType).toBeUndefined();
        await second!.body.cancel();
      });

      it("serves a single range as one part", async () => {
        const id = await t.store.put(ALPHABET);
        const result = await t.store.getRanges(id, [{ start: 3, end: 4 }], { boundary: "one" });
        expect(fromUtf8(await readStreamBytes(result!.body))).toBe("--one\r\nContent-Range: bytes 3-4/20\r\n\r\n34\r\n--one--");
      });

      it("carries binary data, every byte value, through the parts", async () => {
        const bytes = allByteValues(8);
        const id = await t.store.put(bytes);
        // Data containing CR LF and dashes must not confuse the framing.
        const ranges = [
          { start: 0, end: 255 },
          { start: 1000, end: 2047 },
          { start: 13, end: 13 },
        ];
        const result = await t.store.getRanges(id, ranges, { contentType: "application/octet-stream" });
        const parts = parseMultipartByteRanges(await readStreamBytes(result!.body), result!.boundary);
        expect(parts.map((part) => part.data)).toEqual(ranges.map((range) => bytes.slice(range.start, range.end + 1)));
        expect(parts.every((part) => part.size === 2048)).toBe(true);
      });

      it("streams large parts exactly", async () => {
        const bytes = patternBytes(3 * 1024 * 1024, 31);
        const id = await t.store.put(bytes);
        const ranges = [
          { start: 0, end: 1_500_000 },
          { start: 1_400_000, end: 3 * 1024 * 1024 - 1 },
        ];
        const result = await t.store.getRanges(id, ranges);
        const parts = parseMultipartByteRanges(await readStreamBytes(result!.body), result!.boundary);
        expect(parts.map((part) => sha256Hex(part.data))).toEqual(
          ranges.map((range) => sha256Hex(bytes.subarray(range.start, range.end + 1))),
        );
      });

      it("returns null for a missing blob", async () => {
        expect(await t.store.getRanges(createBlobId({ now: t.clock.now() }), [{ start: 0, end: 0 }])).toBeNull();
      });

      it("rejects a range past the end with ERR_RANGE_NOT_SATISFIABLE before any body", async () => {
        const id = await t.store.put(ALPHABET);
        await expectRejectionCode(
          () => t.store.getRanges(id, [{ start: 0, end: 1 }, { start: 15, end: 20 }]),
          "ERR_RANGE_NOT_SATISFIABLE",
        );
        await expectRejectionCode(() => t.store.getRanges(id, [{ start: 20, end: 20 }]), "ERR_RANGE_NOT_SATISFIABLE");
        const empty = await t.store.put("");
        await expectRejectionCode(() => t.store.getRanges(empty, [{ start: 0, end: 0 }]), "ERR_RANGE_NOT_SATISFIABLE");
      });

      it("rejects malformed ranges and an empty list with ERR_INVALID_RANGE", async () => {
        const id = await t.store.put(ALPHABET);
        for (const range of MALFORMED_RANGES) {
          const ranges = [{ start: 0, end: 1 }, range] as ByteRange[];
          await expectRejectionCode(() => t.store.getRanges(id, ranges), "ERR_INVALID_RANGE", JSON.stringify(range) ?? String(range));
        }
        await expectRejectionCode(() => t.store.getRanges(id, []), "ERR_INVALID_RANGE", "no ranges");
        await expectBlobBytes(t.store, id, utf8(ALPHABET));
      });

      it("can be cancelled midway, leaving the blob readable", async () => {
        const bytes = patternBytes(3 * 1024 * 1024, 37);
        const id = await t.store.put(bytes);
        const result = await t.store.getRanges(id, [
          { start: 0, end: 2_000_000 },
          { start: 5, end: 10 },
        ]);
        const reader = result!.body.getReader();
        expect((await reader.read()).done).toBe(false);
        expect((await reader.read()).done).toBe(false);
        await reader.cancel();
        expect(sha256Hex((await t.store.getBytes(id))!)).toBe(sha256Hex(bytes));
      });
    });
  });
}
