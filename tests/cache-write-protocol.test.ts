import { describe, expect, it } from "vitest";
import { fresh, setUpCache } from "./support/cache-wrappers.ts";

const URL_A = "https://cache.test/a";
const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

describe("cache write protocol", () => {
  it("resolves put and delete only after the database's flush() resolved", async () => {
    const { cache, db } = setUpCache();
    let release!: () => void;
    db.holdFlush = new Promise((resolve) => (release = resolve));
    let putDone = false;
    const putting = cache.put(URL_A, fresh("value")).then(() => (putDone = true));
    await tick();
    expect(putDone).toBe(false);
    // Committed (readers see it), but not acknowledged until durable.
    expect(await (await cache.match(URL_A))?.text()).toBe("value");
    release();
    await putting;
    expect(db.flushes).toBeGreaterThanOrEqual(1);

    db.holdFlush = new Promise((resolve) => (release = resolve));
    let deleteDone = false;
    const deleting = cache.delete(URL_A).then(() => (deleteDone = true));
    await tick();
    expect(deleteDone).toBe(false);
    release();
    await deleting;
  });

  it("deletes the replaced blob only after the replacing commit is durable", async () => {
    const { cache, db, blobs, caches } = setUpCache();
    await cache.put(URL_A, fresh("old"));
    let release!: () => void;
    db.holdFlush = new Promise((resolve) => (release = resolve));
    const putting = cache.put(URL_A, fresh("new"));
    await tick();
    expect(blobs.deleted).toEqual([]);
    release();
    await putting;
    await caches.idle();
    expect(blobs.deleted).toHaveLength(1);
  });

  it("deletes the new blob when the commit fails, rejects, and keeps the older entry", async () => {
    const { cache, db, blobCount } = setUpCache();
    await cache.put(URL_A, fresh("old"));
    db.failNextTransaction = new Error("disk full");
    await expect(cache.put(URL_A, fresh("new"))).rejects.toThrow("disk full");
    expect(await blobCount()).toBe(1);
    expect(await (await cache.match(URL_A))?.text()).toBe("old");
  });

  it("logs a blob delete that fails, and the sweep collects the orphan later (C7)", async () => {
    const { cache, blobs, logger, blobCount, clock, caches } = setUpCache();
    await cache.put(URL_A, fresh("old"));
    blobs.failDeletes = new Error("EBUSY");
    await cache.put(URL_A, fresh("new"));
    await caches.idle();
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining("could not delete blob"), blobs.failDeletes);
    blobs.failDeletes = undefined;
    expect(await blobCount()).toBe(2);
    expect((await cache.sweep({ graceMs: 60_000 })).deletedBlobs).toBe(0);
    clock.advance(60_001);
    expect((await cache.sweep({ graceMs: 60_000 })).deletedBlobs).toBe(1);
    expect(await (await cache.match(URL_A))?.text()).toBe("new");
  });

  it("never sweeps the blob of a put still in flight", async () => {
    const { cache, db, clock, blobCount } = setUpCache();
    let release!: () => void;
    db.holdFlush = new Promise((resolve) => (release = resolve));
    let pulled = false;
    let finish!: () => void;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (pulled) {
          await new Promise<void>((resolve) => (finish = resolve));
          controller.close();
          return;
        }
        pulled = true;
        controller.enqueue(new Uint8Array(100_000));
      },
    });
    const putting = cache.put(URL_A, fresh(body, 86_400));
    await tick();
    clock.advance(3_600_000);
    const sweeping = cache.sweep({ graceMs: 0 });
    finish();
    release();
    await putting;
    expect((await sweeping).deletedBlobs).toBe(0);
    expect(await blobCount()).toBe(1);
    expect((await (await cache.match(URL_A))!.arrayBuffer()).byteLength).toBe(100_000);
  });

  it("purges a bounded batch of expired entries on stored puts, again while a backlog remains (C3)", async () => {
    const { cache, clock, rowCount, blobCount } = setUpCache({ purgeBatchSize: 3 });
    for (let index = 0; index < 5; index++) await cache.put(`https://cache.test/old/${index}`, fresh("x", 60));
    clock.advance(60_000);
    await cache.put(URL_A, fresh("live"));
    expect(rowCount()).toBe(3);
    expect(await blobCount()).toBe(3);
    await cache.put(URL_A, fresh("live"));
    expect(rowCount()).toBe(1);
    expect(await blobCount()).toBe(1);
  });

  it("purges nothing on put with purgeBatchSize 0, and everything with purgeExpired()", async () => {
    const { caches, cache, clock, rowCount, blobCount } = setUpCache({ purgeBatchSize: 0 });
    for (let index = 0; index < 700; index++) await cache.put(`https://cache.test/old/${index}`, fresh("x", 60));
    clock.advance(60_000);
    await cache.put(URL_A, fresh("live"));
    expect(rowCount()).toBe(701);
    expect(await caches.purgeExpired()).toBe(700);
    expect(rowCount()).toBe(1);
    expect(await blobCount()).toBe(1);
  });

  it("wipes a cache with purgeAll()", async () => {
    const { cache, rowCount, blobCount } = setUpCache();
    for (let index = 0; index < 3; index++) await cache.put(`https://cache.test/${index}`, fresh("x"));
    expect(await cache.purgeAll()).toBe(3);
    expect(rowCount()).toBe(0);
    expect(await blobCount()).toBe(0);
  });

  it("treats a damaged row as a miss: logs it and removes it", async () => {
    const { cache, db, logger, rowCount } = setUpCache();
    await cache.put(URL_A, fresh("x"));
    db.prepare("UPDATE _mf_entries SET metadata = ?").run("{not json");
    expect(await cache.match(URL_A)).toBeUndefined();
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining("damaged metadata"));
    expect(rowCount()).toBe(0);
  });

  it("treats a row claiming more bytes than its blob holds as a miss on a range match", async () => {
    const { cache, db, logger, rowCount } = setUpCache();
    await cache.put(URL_A, fresh("0123456789"));
    db.prepare("UPDATE _mf_entries SET metadata = json_set(metadata, '$.size', 100)").run();
    expect(await cache.match(new Request(URL_A, { headers: { Range: "bytes=50-60" } }))).toBeUndefined();
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining("shorter than its size"), expect.anything());
    expect(rowCount()).toBe(0);
  });

  it("rejects an operation whose stores fail to open, and opens them on the next one", async () => {
    let attempts = 0;
    const { db, blobs } = setUpCache();
    const { caches } = setUpCache({
      open: () => {
        attempts++;
        if (attempts === 1) throw new Error("cannot open");
        return { metadata: db, blobs };
      },
    });
    await expect(caches.default.match(URL_A)).rejects.toThrow("cannot open");
    await caches.default.put(URL_A, fresh("x"));
    expect(await (await caches.default.match(URL_A))?.text()).toBe("x");
    expect(attempts).toBe(2);
  });
});
