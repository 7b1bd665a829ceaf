import type { Cache, CacheStorage, Request as WorkersRequest, Response as WorkersResponse } from "@cloudflare/workers-types";
import { describe, expectTypeOf, it } from "vitest";
import type { CacheResponse, CellarCache, CellarCacheStorage } from "../src/index.js";

// Type-level: `pnpm typecheck` fails if a cellar cache storage stops being usable where Workers
// code expects `caches` or a `Cache`, or stops accepting Node's own Request and Response.
describe("types", () => {
  it("makes a cellar CacheStorage and Cache assignable to the Workers types", () => {
    expectTypeOf<CellarCacheStorage>().toExtend<CacheStorage>();
    expectTypeOf<CellarCache>().toExtend<Cache>();
    const bind = (caches: CellarCacheStorage): CacheStorage => caches;
    expectTypeOf(bind).returns.toEqualTypeOf<CacheStorage>();
  });

  it("returns responses usable as Workers and as Node responses", () => {
    expectTypeOf<CacheResponse>().toExtend<WorkersResponse>();
    expectTypeOf<CacheResponse>().toExtend<Response>();
    expectTypeOf<ReturnType<CellarCache["match"]>>().toEqualTypeOf<Promise<CacheResponse | undefined>>();
  });

  it("accepts Node's and Workers' requests and responses, and URLs", () => {
    const calls = (cache: CellarCache, workersRequest: WorkersRequest, workersResponse: WorkersResponse) => [
      cache.put(new Request("https://x.test/"), new Response("x")),
      cache.put("https://x.test/", new Response("x")),
      cache.match(new URL("https://x.test/"), { ignoreMethod: true }),
      cache.delete(workersRequest),
      cache.put(workersRequest, workersResponse),
    ];
    expectTypeOf(calls).returns.toEqualTypeOf<(Promise<void> | Promise<CacheResponse | undefined> | Promise<boolean>)[]>();
  });
});
