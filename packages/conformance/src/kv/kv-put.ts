import { describe, expect, it } from "vitest";
import type { DescribeKVOptions } from "./kv-fixture.js";
import { expectKVTypeError, expectSameBytes } from "./kv-expect.js";
import { useKVTestContext } from "./kv-test-context.js";
import { chunked, patternBytes, readStream, streamOf, utf8 } from "./kv-test-data.js";

const UNSUPPORTED_VALUE = "KV put() accepts only strings, ArrayBuffers, ArrayBufferViews, and ReadableStreams as values.";

/** Writes of every value type, overwrites, deletes and metadata. */
export function describeKVPut(options: DescribeKVOptions): void {
  describe(options.name, () => {
    describe("put and delete", () => {
      const t = useKVTestContext(options);

      async function expectBytes(key: string, expected: Uint8Array): Promise<void> {
        expectSameBytes(await t.kv.get(key, "arrayBuffer"), expected, key);
        expectSameBytes(await readStream(await t.kv.get(key, "stream")), expected, `${key} streamed`);
      }

      it("stores an ArrayBuffer", async () => {
        await t.kv.put("buffer", patternBytes(777, 1).buffer);
        await expectBytes("buffer", patternBytes(777, 1));
      });

      it("stores only the bytes inside a view", async () => {
        const backing = patternBytes(100, 2);
        await t.kv.put("view", backing.subarray(10, 30));
        await expectBytes("view", patternBytes(100, 2).slice(10, 30));
        const words = new Uint16Array([0x0102, 0x0304]);
        await t.kv.put("u16", words);
        await expectBytes("u16", new Uint8Array(words.buffer.slice(0)));
        await t.kv.put("dataview", new DataView(backing.buffer, 5, 3));
        await expectBytes("dataview", patternBytes(100, 2).slice(5, 8));
      });

      it("stores a stream of uneven chunks", async () => {
        const bytes = patternBytes(300_000, 3);
        await t.kv.put("stream", streamOf([bytes.subarray(0, 1), ...chunked(bytes.subarray(1), 65_537)]));
        await expectBytes("stream", bytes);
      });

      it("stores an empty stream and null as empty values", async () => {
        await t.kv.put("empty-stream", streamOf([]));
        expect(await t.kv.get("empty-stream")).toBe("");
        await t.kv.put("null", null);
        expect(await t.kv.get("null")).toBe("");
      });

      it("stores a Blob", async () => {
        await t.kv.put("blob", new Blob(["part one, ", utf8("part two")]));
        expect(await t.kv.get("blob")).toBe("part one, part two");
      });

      it("copies bytes when put is called, so later changes to the buffer are not stored", async () => {
        const bytes = new Uint8Array([1, 2, 3]);
        const writing = t.kv.put("copied", bytes);
        bytes.fill(0);
        await writing;
        await expectBytes("copied", new Uint8Array([1, 2, 3]));
      });

      it("rejects values of other types with the runtime's TypeError, storing nothing", async () => {
        for (const value of [{}, [1, 2], new Map()]) {
          await expectKVTypeError(() => t.kv.put("bad", value), UNSUPPORTED_VALUE);
        }
        // The runtime words these conversion failures its own way; a TypeError either way.
        for (const value of [undefined, Symbol("s")]) {
          await expect(Promise.resolve().then(() => t.kv.put("bad", value))).rejects.toBeInstanceOf(TypeError);
        }
        expect(await t.kv.get("bad")).toBeNull();
      });

      it("converts numbers and booleans to strings", async () => {
        await t.kv.put("number", 12.5);
        await t.kv.put("boolean", false);
        expect(await t.kv.get("number")).toBe("12.5");
        expect(await t.kv.get("boolean", "json")).toBe(false);
      });

      it("overwrites a value, replacing its metadata and expiration", async () => {
        await t.kv.put("key", "first", { metadata: { v: 1 }, expirationTtl: 3600 });
        await t.kv.put("key", "second");
        expect(await t.kv.getWithMetadata("key")).toEqual({ value: "second", metadata: null, cacheStatus: null });
        expect((await t.kv.list()).keys).toEqual([{ name: "key" }]);
      });

      it("stores null metadata as no metadata", async () => {
        await t.kv.put("key", "value", { metadata: null });
        expect((await t.kv.getWithMetadata("key")).metadata).toBeNull();
        expect((await t.kv.list()).keys[0]).toEqual({ name: "key" });
      });

      it("deletes a key, and deleting a missing key succeeds", async () => {
        await t.kv.put("doomed", "value");
        await t.kv.delete("doomed");
        expect(await t.kv.get("doomed")).toBeNull();
        expect(await t.kv.getWithMetadata("doomed")).toEqual({ value: null, metadata: null, cacheStatus: null });
        expect((await t.kv.list()).keys).toEqual([]);
        await expect(t.kv.delete("doomed")).resolves.toBeUndefined();
        await expect(t.kv.delete("never-existed")).resolves.toBeUndefined();
      });

      it("writes a key again after deleting it", async () => {
        await t.kv.put("phoenix", "one");
        await t.kv.delete("phoenix");
        await t.kv.put("phoenix", "two");
        expect(await t.kv.get("phoenix")).toBe("two");
      });

      it("resolves put and delete with undefined", async () => {
        await expect(t.kv.put("key", "value")).resolves.toBeUndefined();
        await expect(t.kv.delete("key")).resolves.toBeUndefined();
      });

      it("rejects a put whose stream errors, storing nothing and keeping the old value", async () => {
        await t.kv.put("key", "old");
        const failing = new ReadableStream<Uint8Array>({
          pull(controller) {
            controller.error(new Error("source broke"));
          },
        });
        await expect(t.kv.put("key", failing)).rejects.toThrow("source broke");
        expect(await t.kv.get("key")).toBe("old");
      });

      it.skipIf(!options.capabilities?.persistent)("stores values read back by reopening the storage [persistent]", async () => {
        await t.kv.put("durable", "survives", { metadata: { m: 1 } });
        const reopened = await t.reopen();
        expect(await reopened.getWithMetadata("durable")).toEqual({ value: "survives", metadata: { m: 1 }, cacheStatus: null });
      });
    });
  });
}
