import { describe, expect, it } from "vitest";
import type { DescribeKVOptions } from "./kv-fixture.js";
import { expectRejectionMentioning } from "./kv-expect.js";
import { useKVTestContext } from "./kv-test-context.js";

/**
 * What is stored, read through the fixture's backdoor hooks: one blob per value (K6), Miniflare's
 * row shape, and a loud failure instead of a silent `null` when a value's blob is gone (K5).
 */
export function describeKVStorage(options: DescribeKVOptions): void {
  const capabilities = options.capabilities ?? {};
  describe(options.name, () => {
    describe("storage", () => {
      const t = useKVTestContext(options);

      it.skipIf(!capabilities.blobCount)("keeps one blob per value: an overwrite keeps the count, a delete removes one [inspect.blobCount]", async () => {
        const blobCount = t.hook("blobCount");
        await t.kv.put("a", "one");
        await t.kv.put("empty", "");
        expect(await blobCount()).toBe(2);
        await t.kv.put("a", "two");
        await t.kv.put("a", new Uint8Array(5000));
        expect(await blobCount()).toBe(2);
        await t.kv.delete("a");
        expect(await blobCount()).toBe(1);
        await t.kv.delete("a");
        await t.kv.delete("empty");
        expect(await blobCount()).toBe(0);
      });

      it.skipIf(!capabilities.blobCount)("deletes the new blob of a put whose stream fails [inspect.blobCount]", async () => {
        const failing = new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new Uint8Array(1000));
          },
          pull(controller) {
            controller.error(new Error("broken"));
          },
        });
        await expect(t.kv.put("key", failing)).rejects.toThrow("broken");
        expect(await t.hook("blobCount")()).toBe(0);
      });

      it.skipIf(!capabilities.rows)("writes Miniflare's row shape: key, blob_id, expiration (ms), metadata (JSON) [inspect.rows]", async () => {
        await t.kv.put("b", "v", { metadata: { x: "y" } });
        await t.kv.put("a", "v");
        const rows = await t.hook("rows")();
        expect(rows.map((row) => row.key)).toEqual(["a", "b"]);
        expect(rows[0]).toMatchObject({ expiration: null, metadata: null });
        expect(JSON.parse(rows[1]!.metadata!)).toEqual({ x: "y" });
        expect(rows[0]!.blob_id).toMatch(/^[A-Za-z0-9_-][A-Za-z0-9._-]*$/);
        expect(rows[0]!.blob_id).not.toBe(rows[1]!.blob_id);
      });

      it.skipIf(!capabilities.removeBlob)("fails loudly when a live entry's blob is missing, and keeps the entry (K5) [inspect.removeBlob]", async () => {
        await t.kv.put("lost", "value", { metadata: { m: 1 } });
        await t.kv.put("fine", "value");
        const blobId = await t.hook("removeBlob")("lost");
        for (const read of [
          () => t.kv.get("lost"),
          () => t.kv.get("lost", "stream"),
          () => t.kv.getWithMetadata("lost"),
          () => t.kv.get(["fine", "lost"]),
          () => t.kv.getWithMetadata(["lost"]),
        ]) {
          await expectRejectionMentioning(read, ["lost", blobId]);
        }
        expect((await t.kv.list()).keys.map((key) => key.name)).toEqual(["fine", "lost"]);
        expect(await t.kv.get("fine")).toBe("value");
        // Writing the key again repairs it.
        await t.kv.put("lost", "restored");
        expect(await t.kv.get("lost")).toBe("restored");
      });
    });
  });
}
