import { describe, expect, it } from "vitest";
import type { DescribeKVOptions } from "./kv-fixture.js";
import { expectSameBytes } from "./kv-expect.js";
import { useKVTestContext } from "./kv-test-context.js";
import { chunked, patternBytes, streamOf } from "./kv-test-data.js";

/** Concurrent calls in one process: writes to a key commit in call order (K3), values never mix. */
export function describeKVConcurrency(options: DescribeKVOptions): void {
  describe(options.name, () => {
    describe("concurrency", () => {
      const t = useKVTestContext(options);

      /** Value `i` of the race: sizes from 0 to ~200 KB, each byte pattern distinct. */
      const valueOf = (i: number) => patternBytes((i * 7919) % 200_000, i);

      it("lets the last of 50 parallel puts to one key win, streams resolving out of order included (K3)", async () => {
        const puts: Promise<void>[] = [];
        for (let i = 0; i < 50; i++) {
          const bytes = valueOf(i);
          // Every third value is a stream whose chunks trickle in, slower for earlier calls, so
          // early puts finish writing their values last.
          const value = i % 3 === 0 ? streamOf(chunked(bytes, 50_000), Math.max(1, 20 - i / 3)) : bytes;
          puts.push(t.kv.put("contended", value, { metadata: { i } }));
        }
        await Promise.all(puts);
        const { value, metadata } = await t.kv.getWithMetadata("contended", "arrayBuffer");
        expect(metadata).toEqual({ i: 49 });
        expectSameBytes(value, valueOf(49), "the last put's value");
      });

      it("orders deletes with puts by call order", async () => {
        const slow = streamOf([patternBytes(10, 1)], 20);
        const settled = Promise.all([t.kv.put("key", slow), t.kv.delete("key")]);
        await settled;
        expect(await t.kv.get("key")).toBeNull();
        await Promise.all([t.kv.put("key2", streamOf([patternBytes(10, 2)], 20)), t.kv.delete("key2"), t.kv.put("key2", "last")]);
        expect(await t.kv.get("key2")).toBe("last");
      });

      it("lets a failed put leave the previous value in place while later puts proceed", async () => {
        const failing = new ReadableStream<Uint8Array>({
          async pull(controller) {
            await new Promise((resolve) => setTimeout(resolve, 10));
            controller.error(new Error("broken source"));
          },
        });
        await t.kv.put("key", "first");
        const results = await Promise.allSettled([t.kv.put("key", failing), t.kv.put("key", "third")]);
        expect(results.map((result) => result.status)).toEqual(["rejected", "fulfilled"]);
        expect(await t.kv.get("key")).toBe("third");
      });

      it("stores parallel puts to different keys", async () => {
        await Promise.all(Array.from({ length: 100 }, (_, i) => t.kv.put(`key-${i}`, `value-${i}`)));
        const result = await t.kv.get(Array.from({ length: 100 }, (_, i) => `key-${i}`));
        for (let i = 0; i < 100; i++) expect(result.get(`key-${i}`)).toBe(`value-${i}`);
      });

      it("never lets a reader see a value that was not written whole", async () => {
        const values = Array.from({ length: 20 }, (_, i) => valueOf(i + 100));
        const expected = new Set(values.map((bytes) => Buffer.from(bytes).toString("hex")));
        await t.kv.put("key", values[0]!);
        const writes = values.map((bytes) => t.kv.put("key", bytes));
        const reads = Array.from({ length: 40 }, () => t.kv.get("key", "arrayBuffer"));
        await Promise.all(writes);
        for (const read of await Promise.all(reads)) {
          expect(expected.has(Buffer.from(new Uint8Array(read)).toString("hex"))).toBe(true);
        }
        expectSameBytes(await t.kv.get("key", "arrayBuffer"), values[19]!, "the last put's value");
      });

      it.skipIf(!options.capabilities?.blobCount)("keeps one blob after 50 parallel puts to one key [inspect.blobCount]", async () => {
        await Promise.all(Array.from({ length: 50 }, (_, i) => t.kv.put("key", valueOf(i))));
        expect(await t.hook("blobCount")()).toBe(1);
      });
    });
  });
}
