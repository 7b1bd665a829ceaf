import { describe, expect, it } from "vitest";
import { createBlobId, type BlobBody } from "@cellar/blob-store";
import type { DescribeBlobStoreOptions } from "./blob-store-fixture.js";
import { useBlobStoreTestContext } from "./blob-store-test-context.js";
import { expectBlobBytes } from "./expect-blob-bytes.js";
import {
  allByteValues,
  patternBytes,
  readStreamBytes,
  readStreamChunks,
  sha256Hex,
  splitUnevenly,
  utf8,
} from "./test-bytes.js";
import { streamOf } from "./test-streams.js";

/** `put` of every body type, reads, `stat`, misses and fresh copies. */
export function describeBlobStorePutGet(options: DescribeBlobStoreOptions): void {
  describe(options.name, () => {
    describe("put and get", () => {
      const t = useBlobStoreTestContext(options);

      it("round-trips a Uint8Array", async () => {
        const bytes = patternBytes(1000);
        const id = await t.store.put(bytes);
        await expectBlobBytes(t.store, id, patternBytes(1000));
      });

      it("round-trips an ArrayBuffer", async () => {
        const id = await t.store.put(patternBytes(777).buffer);
        await expectBlobBytes(t.store, id, patternBytes(777));
      });

      it("stores a string as UTF-8", async () => {
        const text = "héllo wörld ✓ 😀 \u0000 end";
        const id = await t.store.put(text);
        await expectBlobBytes(t.store, id, utf8(text));
      });

      it("round-trips a stream of uneven chunks", async () => {
        const bytes = patternBytes(300_000, 3);
        const id = await t.store.put(streamOf(splitUnevenly(bytes, 20_000)));
        await expectBlobBytes(t.store, id, bytes);
      });

      it("stores only the bytes inside a Uint8Array view", async () => {
        const backing = patternBytes(100);
        const id = await t.store.put(backing.subarray(10, 30));
        await expectBlobBytes(t.store, id, patternBytes(100).slice(10, 30));
      });

      it("stores an empty body of every type", async () => {
        const bodies: [string, BlobBody][] = [
          ["Uint8Array", new Uint8Array(0)],
          ["ArrayBuffer", new ArrayBuffer(0)],
          ["string", ""],
          ["stream", streamOf([])],
          ["stream of empty chunks", streamOf([new Uint8Array(0), new Uint8Array(0)])],
        ];
        for (const [label, body] of bodies) {
          const id = await t.store.put(body);
          expect(await t.store.getBytes(id), label).toEqual(new Uint8Array(0));
          expect(await readStreamBytes((await t.store.get(id))!), label).toEqual(new Uint8Array(0));
          expect((await t.store.stat(id))?.size, label).toBe(0);
        }
      });

      it("stores every byte value exactly, as read from the backing storage [inspect.rawBlob]", async (test) => {
        const rawBlob = t.fixture.inspect?.rawBlob;
        if (!rawBlob) return test.skip("the fixture has no inspect.rawBlob");
        const bytes = allByteValues(4);
        const fromBytes = await t.store.put(bytes);
        const fromStream = await t.store.put(streamOf(splitUnevenly(bytes, 100)));
        const fromText = await t.store.put("ü");
        expect(await rawBlob(fromBytes)).toEqual(allByteValues(4));
        expect(await rawBlob(fromStream)).toEqual(allByteValues(4));
        expect(await rawBlob(fromText)).toEqual(Uint8Array.of(0xc3, 0xbc));
        expect(await rawBlob(createBlobId({ now: t.clock.now() }))).toBeNull();
      });

      it("yields Uint8Array chunks from get", async () => {
        const id = await t.store.put(patternBytes(200_000));
        const chunks = await readStreamChunks((await t.store.get(id))!);
        expect(chunks.length).toBeGreaterThan(0);
        for (const chunk of chunks) expect(chunk).toBeInstanceOf(Uint8Array);
        expect(chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0)).toBe(200_000);
      });

      it("reports the size and the clock's creation time in stat", async () => {
        t.clock.set(Date.UTC(2026, 4, 17, 12, 0, 0, 123));
        const id = await t.store.put(patternBytes(4321));
        t.clock.advance(60_000);
        expect(await t.store.stat(id)).toEqual({ size: 4321, createdAt: Date.UTC(2026, 4, 17, 12, 0, 0, 123) });
      });

      it("reads a blob that was never stored as null", async () => {
        await t.store.put(patternBytes(10));
        const missing = [
          createBlobId({ now: t.clock.now() }),
          createBlobId({ now: t.clock.now(), userId: "some/key.txt" }),
          "c58a2a9b2c655341d6a56d22a7d165b48adbff914f9102f75588039999eb47c1000001a2006a50ed",
          "legacy-blob-without-time",
        ];
        for (const id of missing) {
          expect(await t.store.get(id), `get ${id}`).toBeNull();
          expect(await t.store.get(id, { start: 0, end: 0 }), `get range ${id}`).toBeNull();
          expect(await t.store.getBytes(id), `getBytes ${id}`).toBeNull();
          expect(await t.store.getBytes(id, { start: 0, end: 0 }), `getBytes range ${id}`).toBeNull();
          expect(await t.store.stat(id), `stat ${id}`).toBeNull();
          expect(await t.store.getRanges(id, [{ start: 0, end: 0 }]), `getRanges ${id}`).toBeNull();
        }
      });

      it("returns a fresh copy from getBytes every time", async () => {
        const id = await t.store.put(patternBytes(1000));
        const first = (await t.store.getBytes(id))!;
        first.fill(0);
        const ranged = (await t.store.getBytes(id, { start: 0, end: 99 }))!;
        ranged.fill(0);
        await expectBlobBytes(t.store, id, patternBytes(1000));
      });

      it("returns fresh chunks from get every time", async () => {
        const id = await t.store.put(patternBytes(150_000));
        for (const chunk of await readStreamChunks((await t.store.get(id))!)) chunk.fill(0);
        for (const chunk of await readStreamChunks((await t.store.get(id, { start: 10, end: 20 }))!)) chunk.fill(0);
        await expectBlobBytes(t.store, id, patternBytes(150_000));
      });

      it("keeps its own copy of a Uint8Array body", async () => {
        const body = patternBytes(1000);
        const id = await t.store.put(body);
        body.fill(0);
        await expectBlobBytes(t.store, id, patternBytes(1000));
      });

      it("keeps its own copy of an ArrayBuffer body", async () => {
        const body = patternBytes(1000).buffer;
        const id = await t.store.put(body);
        new Uint8Array(body).fill(0);
        await expectBlobBytes(t.store, id, patternBytes(1000));
      });

      it("keeps its own copy of stream chunks", async () => {
        const chunks = splitUnevenly(patternBytes(50_000), 5_000);
        const id = await t.store.put(streamOf(chunks));
        for (const chunk of chunks) chunk.fill(0);
        await expectBlobBytes(t.store, id, patternBytes(50_000));
      });

      it("serves independent readers of one blob at once", async () => {
        const bytes = patternBytes(3 * 1024 * 1024, 11);
        const id = await t.store.put(bytes);
        const [first, second] = await Promise.all([t.store.get(id), t.store.get(id, { start: 5, end: 2_000_004 })]);
        const [a, b] = await Promise.all([readStreamBytes(first!), readStreamBytes(second!)]);
        expect(sha256Hex(a)).toBe(sha256Hex(bytes));
        expect(sha256Hex(b)).toBe(sha256Hex(bytes.subarray(5, 2_000_005)));
      });

      it("streams 8 MiB in uneven chunks in and out, byte for byte", async () => {
        const bytes = patternBytes(8 * 1024 * 1024, 5);
        const id = await t.store.put(streamOf(splitUnevenly(bytes, 300_000)));
        expect((await t.store.stat(id))?.size).toBe(bytes.byteLength);
        expect(sha256Hex(await readStreamBytes((await t.store.get(id))!))).toBe(sha256Hex(bytes));
      });

      it("leaves a blob readable after a reader cancels midway", async () => {
        const bytes = patternBytes(3 * 1024 * 1024, 9);
        const id = await t.store.put(bytes);
        const reader = (await t.store.get(id))!.getReader();
        const first = await reader.read();
        expect(first.done).toBe(false);
        await reader.cancel();
        expect(sha256Hex((await t.store.getBytes(id))!)).toBe(sha256Hex(bytes));
      });
    });
  });
}
