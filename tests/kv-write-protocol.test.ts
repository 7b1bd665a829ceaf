import { describe, expect, it, vi } from "vitest";
import { createMemoryBlobStore } from "@cellar/blob-store-memory";
import { createKVNamespace, type KVNamespaceOptions } from "@cellar/kv";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";
import { testClock, wrapBlobStore, wrapDatabase } from "./support/instrumented-stores.ts";

/** A namespace on memory blobs and an in-memory better-sqlite3 database, both wrapped. */
function setUp(options: Partial<KVNamespaceOptions> = {}) {
  const clock = testClock();
  const db = wrapDatabase(createSqliteEngine().open(":memory:"));
  const blobs = wrapBlobStore(createMemoryBlobStore({ clock }));
  const logger = { warn: vi.fn() };
  const kv = createKVNamespace({ metadata: db, blobs, clock, logger, name: "ns", ...options });
  const blobCount = async () => {
    await kv.idle();
    let count = 0;
    await blobs.sweep({ olderThan: Number.POSITIVE_INFINITY, isReferenced: () => (count++, true) });
    return count;
  };
  const rowCount = () => (db.prepare("SELECT count(*) AS n FROM _mf_entries").get() as { n: number }).n;
  return { clock, db, blobs, logger, kv, blobCount, rowCount };
}

describe("kv write protocol", () => {
  it("resolves put and delete only after the database's flush() resolved", async () => {
    const { kv, db } = setUp();
    let release!: () => void;
    db.holdFlush = new Promise((resolve) => (release = resolve));
    let putDone = false;
    const putting = kv.put("key", "value").then(() => (putDone = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(putDone).toBe(false);
    // Committed (other readers see it), but not acknowledged until durable.
    expect(await kv.get("key")).toBe("value");
    release();
    await putting;
    expect(db.flushes).toBeGreaterThanOrEqual(1);

    db.holdFlush = new Promise((resolve) => (release = resolve));
    let deleteDone = false;
    const deleting = kv.delete("key").then(() => (deleteDone = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(deleteDone).toBe(false);
    release();
    await deleting;
  });

  it("deletes the old blob only after the replacing commit is durable (K6)", async () => {
    const { kv, db, blobs } = setUp();
    await kv.put("key", "old");
    let release!: () => void;
    db.holdFlush = new Promise((resolve) => (release = resolve));
    const putting = kv.put("key", "new");
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(blobs.calls.delete).toBe(0);
    release();
    await putting;
    await kv.idle();
    expect(blobs.calls.delete).toBe(1);
  });

  it("deletes the new blob when the commit fails, keeping the old value", async () => {
    const { kv, db, blobCount } = setUp();
    await kv.put("key", "old");
    db.failNextTransaction = new Error("disk full");
    await expect(kv.put("key", "new")).rejects.toThrow("disk full");
    expect(await kv.get("key")).toBe("old");
    expect(await blobCount()).toBe(1);
  });

  it("logs a failed blob delete and never fails the write (K6); the sweep removes the orphan later", async () => {
    const { kv, blobs, logger, clock, blobCount } = setUp();
    await kv.put("key", "old");
    const [oldId] = [...(await listBlobIds(blobs))];
    blobs.failDeletes = new Error("EACCES");
    await expect(kv.put("key", "new")).resolves.toBeUndefined();
    await expect(kv.delete("other")).resolves.toBeUndefined();
    await kv.idle();
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0]![0]).toContain(oldId);
    expect(logger.warn.mock.calls[0]![0]).toContain('KV namespace "ns"');
    expect(logger.warn.mock.calls[0]![1]).toEqual(new Error("EACCES"));
    expect(await blobCount()).toBe(2);

    blobs.failDeletes = undefined;
    // Too young for the default grace period of an hour.
    expect((await kv.sweep()).deletedBlobs).toBe(0);
    clock.advance(60 * 60 * 1000 + 1);
    expect((await kv.sweep()).deletedBlobs).toBe(1);
    expect(await blobCount()).toBe(1);
    expect(await kv.get("key")).toBe("new");
  });

  it("never sweeps a blob that a row references, expired rows included", async () => {
    const { kv, blobs, clock, blobCount } = setUp();
    await kv.put("live", "v");
    await kv.put("expiring", "v", { expirationTtl: 60 });
    await blobs.put(new Uint8Array([1]), { userId: "orphan" });
    clock.advance(2 * 60 * 60 * 1000);
    const result = await kv.sweep({ graceMs: 60_000 });
    expect(result.deletedBlobs).toBe(1);
    expect(await blobCount()).toBe(2);
    // A young orphan stays.
    await blobs.put(new Uint8Array([2]), { userId: "young" });
    expect((await kv.sweep({ graceMs: 60_000 })).deletedBlobs).toBe(0);
    await expect(kv.sweep({ graceMs: -1 })).rejects.toThrow(TypeError);
  });

  it("purges expired entries in bounded batches on list, and all of them with purgeExpired (K7)", async () => {
    const { kv, clock, rowCount, blobCount } = setUp({ purgeBatchSize: 10 });
    await Promise.all(Array.from({ length: 25 }, (_, i) => kv.put(`expiring-${i}`, "v", { expirationTtl: 60 })));
    await kv.put("live-1", "v");
    await kv.put("live-2", "v");
    clock.advance(60_000);
    expect((await kv.list()).keys.map((key) => key.name)).toEqual(["live-1", "live-2"]);
    expect(rowCount()).toBe(17);
    expect(await blobCount()).toBe(17);
    await kv.list({ prefix: "live" });
    expect(rowCount()).toBe(7);
    expect(await kv.purgeExpired()).toBe(5);
    expect(rowCount()).toBe(2);
    expect(await blobCount()).toBe(2);
  });

  it("does not purge on list with purgeBatchSize 0, still hiding expired entries", async () => {
    const { kv, clock, rowCount } = setUp({ purgeBatchSize: 0 });
    await kv.put("expiring", "v", { expirationTtl: 60 });
    clock.advance(60_000);
    expect((await kv.list()).keys).toEqual([]);
    expect(rowCount()).toBe(1);
    expect(await kv.purgeExpired()).toBe(1);
    expect(rowCount()).toBe(0);
  });

  it("deletes an expired entry on get without touching a newer value written meanwhile", async () => {
    const { kv, clock, rowCount } = setUp();
    await kv.put("key", "old", { expirationTtl: 60 });
    clock.advance(60_000);
    expect(await kv.get("key")).toBeNull();
    expect(rowCount()).toBe(0);
    await kv.put("key", "new");
    expect(await kv.get("key")).toBe("new");
  });

  it("waits for writes in flight on close, then refuses calls", async () => {
    const { kv } = setUp();
    let release!: () => void;
    const slow = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await new Promise<void>((resolve) => (release = resolve));
        controller.enqueue(new Uint8Array([1]));
        controller.close();
      },
    });
    const putting = kv.put("key", slow);
    let closed = false;
    const closing = kv.close().then(() => (closed = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(closed).toBe(false);
    release();
    await Promise.all([putting, closing]);
    await expect(kv.get("key")).rejects.toThrow('KV namespace "ns" is closed');
    await expect(kv.put("key", "v")).rejects.toThrow("closed");
  });

  it("rejects invalid factory options", () => {
    const metadata = createSqliteEngine().open(":memory:");
    const blobs = createMemoryBlobStore();
    expect(() => createKVNamespace({ metadata: undefined as never, blobs })).toThrow(TypeError);
    expect(() => createKVNamespace({ metadata, blobs: undefined as never })).toThrow(TypeError);
    expect(() => createKVNamespace({ metadata, blobs, limits: { maxValueSize: 0 } })).toThrow(TypeError);
    expect(() => createKVNamespace({ metadata, blobs, purgeBatchSize: -1 })).toThrow(TypeError);
  });
});

async function listBlobIds(blobs: { sweep: (options: { olderThan: number; isReferenced: (id: string) => boolean }) => Promise<unknown> }): Promise<Set<string>> {
  const ids = new Set<string>();
  await blobs.sweep({ olderThan: Number.POSITIVE_INFINITY, isReferenced: (id) => (ids.add(id), true) });
  return ids;
}
