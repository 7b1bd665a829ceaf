import { describe, expect, it, vi } from "vitest";
import { createMemoryBlobStore } from "@cellar/blob-store-memory";
import { CacheClosedError, createCacheStorage, MAX_OBJECT_SIZE_LIMIT } from "@cellar/cache";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";
import { fresh, setUpCache } from "./support/cache-wrappers.ts";

const URL_A = "https://cache.test/a";

describe("cache storage options", () => {
  it("validates its options", () => {
    const open = () => ({ metadata: createSqliteEngine().open(":memory:"), blobs: createMemoryBlobStore() });
    expect(() => createCacheStorage({} as never)).toThrow(TypeError);
    expect(() => createCacheStorage({ open, maxObjectSize: MAX_OBJECT_SIZE_LIMIT + 1 })).toThrow(/maxObjectSize/);
    expect(() => createCacheStorage({ open, maxObjectSize: -1 })).toThrow(/maxObjectSize/);
    expect(() => createCacheStorage({ open, maxObjectSize: 1.5 })).toThrow(/maxObjectSize/);
    expect(() => createCacheStorage({ open, purgeBatchSize: -1 })).toThrow(/purgeBatchSize/);
    expect(() => createCacheStorage({ open, clock: {} as never })).toThrow(/clock/);
    expect(() => createCacheStorage({ open, cache: "yes" as never })).toThrow(/cache/);
    expect(() => createCacheStorage({ open, maxObjectSize: MAX_OBJECT_SIZE_LIMIT })).not.toThrow();
  });

  it("opens each cache's stores once, lazily, under default and named:<name>", async () => {
    const names: string[] = [];
    const engine = createSqliteEngine();
    const caches = createCacheStorage({
      open: async (name) => {
        names.push(name);
        return { metadata: engine.open(":memory:"), blobs: createMemoryBlobStore() };
      },
    });
    const named = await caches.open("my cache");
    expect(names).toEqual([]);
    expect(await caches.open("my cache")).toBe(named);
    expect(caches.default).toBe(caches.default);
    await Promise.all([caches.default.put(URL_A, fresh("x")), caches.default.match(URL_A), named.match(URL_A), named.delete(URL_A)]);
    expect(names.sort()).toEqual(["default", "named:my cache"]);
  });

  it("installs Miniflare's no-op cache with cache: false: validates, drains, stores nothing, opens nothing", async () => {
    const caches = createCacheStorage({ cache: false });
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled++ < 3) controller.enqueue(new Uint8Array(1000));
        else controller.close();
      },
    });
    await expect(caches.default.put(URL_A, fresh(body))).resolves.toBeUndefined();
    expect(pulled).toBe(4);
    expect(await caches.default.match(URL_A)).toBeUndefined();
    expect(await caches.default.delete(URL_A)).toBe(false);
    await expect(caches.default.put(new Request(URL_A, { method: "POST" }), fresh("x"))).rejects.toThrow("Cannot cache response to non-GET request.");
    expect(await (await caches.open("x")).purgeExpired()).toBe(0);
  });

  it("warns once about workers.dev with warnUsage", async () => {
    const { caches, logger } = setUpCache({ warnUsage: true });
    await caches.default.match(URL_A);
    await caches.default.put(URL_A, fresh("x"));
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith("Cache operations will have no impact if you deploy to a workers.dev subdomain!");
    const quiet = setUpCache();
    await quiet.caches.default.match(URL_A);
    expect(quiet.logger.warn).not.toHaveBeenCalled();
  });

  it("closes: waits for writes in flight, closes the stores it was given, then refuses calls", async () => {
    const close = vi.fn();
    const { db, blobs } = setUpCache();
    const caches = createCacheStorage({ open: () => ({ metadata: db, blobs, close }) });
    const putting = caches.default.put(URL_A, fresh("x"));
    await caches.close();
    await putting;
    expect(close).toHaveBeenCalledTimes(1);
    await expect(caches.default.match(URL_A)).rejects.toBeInstanceOf(CacheClosedError);
    await expect(caches.open("x")).rejects.toBeInstanceOf(CacheClosedError);
    await caches.close();
    expect(close).toHaveBeenCalledTimes(1);
  });

  it("returns responses shaped like Workers': webSocket null, cf undefined, headers.getAll", async () => {
    const { cache } = setUpCache();
    await cache.put(URL_A, fresh("x"));
    const hit = (await cache.match(URL_A))!;
    expect(hit).toBeInstanceOf(Response);
    expect(hit.webSocket).toBeNull();
    expect(hit.cf).toBeUndefined();
    expect(hit.headers.getAll("Set-Cookie")).toEqual([]);
  });
});
