import { readdir } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { openKV } from "./support/kv-fixtures.ts";

const MiB = 1024 * 1024;

function chunkedStream(sizes: readonly number[]): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const size = sizes[index++];
      if (size === undefined) controller.close();
      else controller.enqueue(new Uint8Array(size).fill(7));
    },
  });
}

describe("kv limits", () => {
  it("counts a whole over-limit stream to report its real length, storing nothing", async () => {
    const opened = await openKV({ blobs: "fs", engine: "native", database: "file" }, { limits: { maxValueSize: 1024 } });
    try {
      await expect(opened.kv.put("key", chunkedStream([500, 500, 500, 1500]))).rejects.toThrow(
        new Error("KV PUT failed: 413 Value length of 3000 exceeds limit of 1024."),
      );
      expect(await readdir(opened.blobDirectory!).catch(() => [])).toEqual([]);
      await opened.kv.put("key", chunkedStream([1000, 24]));
      expect((await opened.kv.get("key", "arrayBuffer"))?.byteLength).toBe(1024);
      await expect(opened.kv.put("key", new Uint8Array(1025))).rejects.toThrow("KV PUT failed: 413 Value length of 1025 exceeds limit of 1024.");
      expect(await readdir(opened.blobDirectory!)).toHaveLength(1);
    } finally {
      await opened.cleanup();
    }
  });

  it("rejects a Blob over the limit by its size, without reading it", async () => {
    const opened = await openKV({ blobs: "memory", engine: "native", database: "memory" }, { limits: { maxValueSize: 1024 } });
    try {
      class UnreadableBlob extends Blob {
        override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
          throw new Error("read");
        }
      }
      await expect(opened.kv.put("key", new UnreadableBlob([new Uint8Array(2000)]))).rejects.toThrow(
        "KV PUT failed: 413 Value length of 2000 exceeds limit of 1024.",
      );
    } finally {
      await opened.cleanup();
    }
  });

  it("lowers the metadata limit when asked", async () => {
    const opened = await openKV({ blobs: "memory", engine: "native", database: "memory" }, { limits: { maxMetadataSize: 10 } });
    try {
      await expect(opened.kv.put("key", "v", { metadata: "x".repeat(9) })).rejects.toThrow("KV PUT failed: 413 Metadata length of 11 exceeds limit of 10.");
      await opened.kv.put("key", "v", { metadata: "x".repeat(8) });
    } finally {
      await opened.cleanup();
    }
  });

  it("rejects a bulk read whose values add up to more than 25 MiB of text", async () => {
    const opened = await openKV({ blobs: "memory", engine: "native", database: "memory" });
    try {
      await opened.kv.put("a", "a".repeat(13 * MiB));
      await opened.kv.put("b", "b".repeat(13 * MiB));
      expect((await opened.kv.get(["a"])).get("a")).toHaveLength(13 * MiB);
      await expect(opened.kv.get(["a", "b"])).rejects.toThrow(new Error("KV GET_BULK failed: 413 Total size of request exceeds the limit of 25MB"));
      await expect(opened.kv.getWithMetadata(["a", "b", "a"])).rejects.toThrow("413");
    } finally {
      await opened.cleanup();
    }
  });
});
