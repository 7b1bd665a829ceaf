import { describe, expect, it } from "vitest";
import { createFsBlobStore } from "@cellar/blob-store-fs";
import { createMemoryBlobStore } from "@cellar/blob-store-memory";
import { createKVNamespace, KVIntegrityError } from "@cellar/kv";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";
import { openKV, readRows } from "./support/kv-fixtures.ts";
import { wrapBlobStore } from "./support/instrumented-stores.ts";

describe("kv reads", () => {
  it("serves repeated reads of a small value from the cache, always the current value", async () => {
    const blobs = wrapBlobStore(createMemoryBlobStore());
    const kv = createKVNamespace({ metadata: createSqliteEngine().open(":memory:"), blobs });
    await kv.put("key", "first");
    expect(await kv.get("key")).toBe("first");
    expect(await kv.get("key", "json").catch(() => "not json")).toBe("not json");
    expect(await kv.getWithMetadata("key")).toMatchObject({ value: "first" });
    expect(blobs.calls.getBytes).toBe(1);
    await kv.put("key", "second");
    expect(await kv.get("key")).toBe("second");
    expect(await kv.get("key")).toBe("second");
    expect(blobs.calls.getBytes).toBe(2);
    // Streams and ArrayBuffers handed out are copies: changing them leaves the cache intact.
    new Uint8Array((await kv.get("key", "arrayBuffer"))!).fill(0);
    const reader = (await kv.get("key", "stream"))!.getReader();
    const { value } = await reader.read();
    value!.fill(0);
    expect(await kv.get("key")).toBe("second");
  });

  it("getEntry reads a value with its metadata and expiration (seconds) in one read", async () => {
    let now = 1_000_000_000_000;
    const kv = createKVNamespace({ metadata: createSqliteEngine().open(":memory:"), blobs: createMemoryBlobStore(), clock: { now: () => now } });
    await kv.put("plain", "no extras");
    await kv.put("rich", "with extras", { metadata: { v: 2 }, expirationTtl: 120 });
    const plain = (await kv.getEntry("plain"))!;
    expect({ metadata: plain.metadata, expiration: plain.expiration }).toEqual({ metadata: null, expiration: undefined });
    expect(await new Response(plain.value).text()).toBe("no extras");
    const rich = (await kv.getEntry("rich"))!;
    expect({ metadata: rich.metadata, expiration: rich.expiration }).toEqual({ metadata: { v: 2 }, expiration: now / 1000 + 120 });
    expect(await new Response(rich.value).text()).toBe("with extras");
    expect((await kv.list()).keys.find((key) => key.name === "rich")?.expiration).toBe(rich.expiration);
    expect(await kv.getEntry("missing")).toBeNull();
    now += 121_000;
    expect(await kv.getEntry("rich")).toBeNull();
    await expect(kv.getEntry("")).rejects.toThrow(TypeError);
  });

  it("reads from the blob store every time with valueCacheSize 0", async () => {
    const blobs = wrapBlobStore(createMemoryBlobStore());
    const kv = createKVNamespace({ metadata: createSqliteEngine().open(":memory:"), blobs, valueCacheSize: 0 });
    await kv.put("key", "value");
    for (let i = 0; i < 3; i++) expect(await kv.get("key")).toBe("value");
    expect(blobs.calls.getBytes).toBe(3);
  });

  it("sees every overwrite made by another namespace on the same storage", async () => {
    const opened = await openKV({ blobs: "fs", engine: "native", database: "file" });
    try {
      const other = createKVNamespace({
        metadata: createSqliteEngine().open(opened.metadata.location),
        blobs: createFsBlobStore({ root: opened.blobDirectory! }),
      });
      await opened.kv.put("shared", "one");
      expect(await other.get("shared")).toBe("one");
      await opened.kv.put("shared", "two");
      expect(await other.get("shared")).toBe("two");
      await other.delete("shared");
      expect(await opened.kv.get("shared")).toBeNull();
      await other.close();
    } finally {
      await opened.cleanup();
    }
  });

  it("never reports a missing blob while a concurrent overwrite replaces the entry", async () => {
    const opened = await openKV({ blobs: "fs", engine: "native", database: "file" }, { valueCacheSize: 0 });
    try {
      await opened.kv.put("hot", "v0");
      let writing = true;
      const writer = (async () => {
        for (let i = 1; i <= 150; i++) await opened.kv.put("hot", `v${i}`);
        writing = false;
      })();
      const reads: Promise<unknown>[] = [];
      while (writing) {
        reads.push(opened.kv.get("hot"), opened.kv.get("hot", "stream"), opened.kv.get(["hot"]));
        await new Promise((resolve) => setImmediate(resolve));
      }
      await writer;
      const results = await Promise.allSettled(reads);
      expect(results.filter((result) => result.status === "rejected")).toEqual([]);
      expect(await opened.kv.get("hot")).toBe("v150");
    } finally {
      await opened.cleanup();
    }
  });

  it("names the namespace, key and blob id in the integrity error (K5), and keeps the row", async () => {
    const opened = await openKV({ blobs: "fs", engine: "native", database: "file" });
    try {
      await opened.kv.put("lost key", "value");
      const [row] = readRows(opened.metadata);
      await opened.blobs.delete(row!.blob_id);
      const error = await opened.kv.get("lost key").catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(KVIntegrityError);
      expect(error).toMatchObject({ code: "ERR_KV_BLOB_MISSING", namespace: "ns", key: "lost key", blobId: row!.blob_id });
      expect((error as Error).message).toContain('KV namespace "ns"');
      expect((error as Error).message).toContain('"lost key"');
      expect((error as Error).message).toContain(row!.blob_id);
      expect(readRows(opened.metadata)).toEqual([row]);
    } finally {
      await opened.cleanup();
    }
  });
});
