import { describe, expect, it } from "vitest";
import { parseBlobId } from "@cellar/blob-store";
import { createMemoryBlobStore, memoryBlobStoreCapabilities } from "../src/index.ts";

describe("createMemoryBlobStore", () => {
  it("streams reads as copies of at most 64 KiB", async () => {
    const store = createMemoryBlobStore();
    const id = await store.put(new Uint8Array(200 * 1024).fill(7));
    const sizes: number[] = [];
    const reader = (await store.get(id))!.getReader();
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      sizes.push(value.byteLength);
    }
    expect(sizes).toEqual([65536, 65536, 65536, 8192]);
  });

  it("dates blobs by Date.now without a clock", async () => {
    const before = Date.now();
    const id = await createMemoryBlobStore().put("x");
    const createdAt = parseBlobId(id).createdAt!;
    expect(createdAt).toBeGreaterThanOrEqual(before);
    expect(createdAt).toBeLessThanOrEqual(Date.now());
  });

  it("declares that it is neither persistent nor shared between processes", () => {
    expect(createMemoryBlobStore().capabilities).toEqual({
      persistent: false,
      multiProcess: false,
      sweep: true,
      fastSmallBlobs: true,
      strictDurability: false,
    });
    expect(Object.isFrozen(memoryBlobStoreCapabilities)).toBe(true);
  });

  it("keeps stores apart", async () => {
    const first = createMemoryBlobStore();
    const second = createMemoryBlobStore();
    const id = await first.put("only in the first");
    expect(await second.getBytes(id)).toBeNull();
  });

  it("rejects a put that finishes after close, and keeps nothing", async () => {
    const store = createMemoryBlobStore();
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const put = store.put(
      new ReadableStream<Uint8Array>({
        async pull(controller) {
          await released;
          controller.close();
        },
      }),
    );
    await store.close();
    release();
    await expect(put).rejects.toMatchObject({ code: "ERR_BLOB_STORE_CLOSED" });
  });
});
