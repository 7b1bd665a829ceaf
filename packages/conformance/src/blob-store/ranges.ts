import { describe, expect, it } from "vitest";
import { createBlobId, type ByteRange } from "@cellar/blob-store";
import type { DescribeBlobStoreOptions } from "./blob-store-fixture.js";
import type { BlobStoreTestContext } from "./blob-store-test-context.js";
import { useBlobStoreTestContext } from "./blob-store-test-context.js";
import { expectRejectionCode } from "./expect-rejection.js";
import { expectBlobBytes } from "./expect-blob-bytes.js";
import { expectSameBytes, patternBytes, readStreamBytes, readStreamChunks, sha256Hex } from "./test-bytes.js";

/** Ranges that are malformed in themselves, whatever the blob's size. */
export const MALFORMED_RANGES: readonly unknown[] = [
  { start: -1, end: 3 },
  { start: 0, end: -1 },
  { start: 5, end: 2 },
  { start: 1.5, end: 3 },
  { start: 0, end: 2.5 },
  { start: Number.NaN, end: 3 },
  { start: 0, end: Number.POSITIVE_INFINITY },
  { start: 0 },
  { end: 3 },
  { start: "0", end: "3" },
  null,
  "0-3",
  42,
];

/** Reads `range` of blob `id` both ways and expects the same bytes from each. */
async function expectRange(t: BlobStoreTestContext, id: string, range: ByteRange, expected: Uint8Array): Promise<void> {
  const label = `${range.start}-${range.end}`;
  expectSameBytes(await t.store.getBytes(id, range), expected, `getBytes ${label}`);
  const stream = await t.store.get(id, range);
  expect(stream, `get ${label}`).not.toBeNull();
  expectSameBytes(await readStreamBytes(stream!), expected, `get ${label}`);
}

/** Single inclusive ranges in `get` and `getBytes`, and their errors. */
export function describeBlobStoreRanges(options: DescribeBlobStoreOptions): void {
  describe(options.name, () => {
    describe("ranges", () => {
      const t = useBlobStoreTestContext(options);
      const blob = patternBytes(1000, 21);

      it("reads the first byte", async () => {
        const id = await t.store.put(blob);
        await expectRange(t, id, { start: 0, end: 0 }, blob.slice(0, 1));
      });

      it("reads the last byte", async () => {
        const id = await t.store.put(blob);
        await expectRange(t, id, { start: 999, end: 999 }, blob.slice(999));
      });

      it("reads the whole blob as a range", async () => {
        const id = await t.store.put(blob);
        await expectRange(t, id, { start: 0, end: 999 }, blob);
      });

      it("reads a range in the middle", async () => {
        const id = await t.store.put(blob);
        await expectRange(t, id, { start: 100, end: 499 }, blob.slice(100, 500));
        await expectRange(t, id, { start: 500, end: 500 }, blob.slice(500, 501));
      });

      it("reads a range spanning many chunks of a 3 MiB blob", async () => {
        const big = patternBytes(3 * 1024 * 1024, 23);
        const id = await t.store.put(big);
        const range = { start: 1_000_001, end: 2_900_000 };
        expect(sha256Hex((await t.store.getBytes(id, range))!)).toBe(sha256Hex(big.subarray(1_000_001, 2_900_001)));
        expect(sha256Hex(await readStreamBytes((await t.store.get(id, range))!))).toBe(sha256Hex(big.subarray(1_000_001, 2_900_001)));
      });

      it("returns fresh copies of ranges", async () => {
        const id = await t.store.put(blob);
        (await t.store.getBytes(id, { start: 10, end: 20 }))!.fill(0);
        for (const chunk of await readStreamChunks((await t.store.get(id, { start: 10, end: 20 }))!)) chunk.fill(0);
        await expectBlobBytes(t.store, id, blob);
      });

      it("rejects ranges past the end with ERR_RANGE_NOT_SATISFIABLE and changes nothing", async () => {
        const id = await t.store.put(blob);
        for (const range of [
          { start: 1000, end: 1000 },
          { start: 0, end: 1000 },
          { start: 999, end: 1000 },
          { start: 5000, end: 6000 },
        ]) {
          const label = `${range.start}-${range.end}`;
          await expectRejectionCode(() => t.store.get(id, range), "ERR_RANGE_NOT_SATISFIABLE", `get ${label}`);
          await expectRejectionCode(() => t.store.getBytes(id, range), "ERR_RANGE_NOT_SATISFIABLE", `getBytes ${label}`);
        }
        await expectBlobBytes(t.store, id, blob);
      });

      it("rejects any range of an empty blob with ERR_RANGE_NOT_SATISFIABLE", async () => {
        const id = await t.store.put(new Uint8Array(0));
        await expectRejectionCode(() => t.store.get(id, { start: 0, end: 0 }), "ERR_RANGE_NOT_SATISFIABLE");
        await expectRejectionCode(() => t.store.getBytes(id, { start: 0, end: 0 }), "ERR_RANGE_NOT_SATISFIABLE");
      });

      it("rejects malformed ranges with ERR_INVALID_RANGE and changes nothing", async () => {
        const id = await t.store.put(blob);
        for (const range of MALFORMED_RANGES) {
          const label = JSON.stringify(range) ?? String(range);
          await expectRejectionCode(() => t.store.get(id, range as ByteRange), "ERR_INVALID_RANGE", `get ${label}`);
          await expectRejectionCode(() => t.store.getBytes(id, range as ByteRange), "ERR_INVALID_RANGE", `getBytes ${label}`);
        }
        await expectBlobBytes(t.store, id, blob);
      });

      it("rejects a malformed range even when the blob is missing", async () => {
        const missing = createBlobId({ now: t.clock.now() });
        await expectRejectionCode(() => t.store.get(missing, { start: 5, end: 2 }), "ERR_INVALID_RANGE");
        await expectRejectionCode(() => t.store.getBytes(missing, { start: -1, end: 2 }), "ERR_INVALID_RANGE");
      });

      it("reads a well-formed range of a missing blob as null", async () => {
        const missing = createBlobId({ now: t.clock.now() });
        expect(await t.store.get(missing, { start: 0, end: 10 })).toBeNull();
        expect(await t.store.getBytes(missing, { start: 0, end: 10 })).toBeNull();
      });
    });
  });
}
