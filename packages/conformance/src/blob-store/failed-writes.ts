import { describe, expect, it } from "vitest";
import type { DescribeBlobStoreOptions } from "./blob-store-fixture.js";
import { useBlobStoreTestContext } from "./blob-store-test-context.js";
import { expectRejectionCode, expectTypeError } from "./expect-rejection.js";
import { expectStoredBlobs } from "./expect-stored-blobs.js";
import { expectBlobBytes } from "./expect-blob-bytes.js";
import { patternBytes, splitUnevenly } from "./test-bytes.js";
import { probedStream, sleep, streamOf } from "./test-streams.js";

/** A `put` that fails (stream error, `maxSize`, abort) rejects and stores nothing. */
export function describeBlobStoreFailedWrites(options: DescribeBlobStoreOptions): void {
  describe(options.name, () => {
    describe("failed writes", () => {
      const t = useBlobStoreTestContext(options);

      it("rejects with the stream's own error when the body errors midway, storing nothing", async (test) => {
        const kept = await t.store.put("kept");
        const failure = new Error("network reset");
        const { stream } = probedStream(splitUnevenly(patternBytes(2 * 1024 * 1024), 100_000), { error: failure });
        await expect(t.store.put(stream, { userId: "broken" })).rejects.toBe(failure);
        await expectBlobBytes(t.store, kept, new TextEncoder().encode("kept"));
        await expectStoredBlobs(t, test, [kept]);
      });

      it("rejects a stream over maxSize with ERR_BLOB_TOO_LARGE, stops reading it and stores nothing", async (test) => {
        const chunks = splitUnevenly(patternBytes(1024 * 1024), 10_000);
        const { stream, probe } = probedStream(chunks);
        await expectRejectionCode(() => t.store.put(stream, { maxSize: 100_000 }), "ERR_BLOB_TOO_LARGE");
        expect(probe.cancelled, "the source is cancelled").toBe(true);
        expect(probe.pulls, "the source is not drained").toBeLessThan(chunks.length);
        await expectStoredBlobs(t, test, []);
      });

      it("rejects a byte body over maxSize with ERR_BLOB_TOO_LARGE and stores nothing", async (test) => {
        await expectRejectionCode(() => t.store.put(patternBytes(101), { maxSize: 100 }), "ERR_BLOB_TOO_LARGE", "Uint8Array");
        await expectRejectionCode(() => t.store.put(patternBytes(101).buffer, { maxSize: 100 }), "ERR_BLOB_TOO_LARGE", "ArrayBuffer");
        await expectRejectionCode(() => t.store.put("ü".repeat(51), { maxSize: 100 }), "ERR_BLOB_TOO_LARGE", "string (UTF-8 bytes)");
        await expectStoredBlobs(t, test, []);
      });

      it("accepts a body of exactly maxSize", async () => {
        const fromBytes = await t.store.put(patternBytes(100), { maxSize: 100 });
        const fromStream = await t.store.put(streamOf(splitUnevenly(patternBytes(100), 7)), { maxSize: 100 });
        const empty = await t.store.put(new Uint8Array(0), { maxSize: 0 });
        await expectBlobBytes(t.store, fromBytes, patternBytes(100));
        await expectBlobBytes(t.store, fromStream, patternBytes(100));
        await expectBlobBytes(t.store, empty, new Uint8Array(0));
      });

      it("rejects an already aborted write with ERR_BLOB_WRITE_ABORTED and stores nothing", async (test) => {
        const controller = new AbortController();
        controller.abort(new Error("user went away"));
        await expectRejectionCode(() => t.store.put(patternBytes(10), { signal: controller.signal }), "ERR_BLOB_WRITE_ABORTED");
        await expectRejectionCode(() => t.store.put(streamOf([patternBytes(10)]), { signal: controller.signal }), "ERR_BLOB_WRITE_ABORTED");
        await expectStoredBlobs(t, test, []);
      });

      it("rejects a write aborted while its stream stalls with ERR_BLOB_WRITE_ABORTED, cancels it and stores nothing", async (test) => {
        const controller = new AbortController();
        const { stream, probe } = probedStream([patternBytes(64 * 1024, 1), patternBytes(64 * 1024, 2)], { stall: true });
        const put = t.store.put(stream, { signal: controller.signal, userId: "stalled" });
        await sleep(20);
        controller.abort();
        await expectRejectionCode(() => put, "ERR_BLOB_WRITE_ABORTED");
        expect(probe.cancelled, "the source is cancelled").toBe(true);
        await expectStoredBlobs(t, test, []);
      });

      it("rejects a stream that yields something other than bytes with a TypeError and stores nothing", async (test) => {
        const stream = new ReadableStream<unknown>({
          start(controller) {
            controller.enqueue(new Uint8Array(3));
            controller.enqueue("not bytes");
            controller.close();
          },
        });
        await expectTypeError(() => t.store.put(stream as ReadableStream<Uint8Array>));
        await expectStoredBlobs(t, test, []);
      });
    });
  });
}
