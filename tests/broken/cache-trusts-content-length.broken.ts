import { describeCache, type CacheLike, type CacheStorageLike } from "@cellar/conformance";
import { cacheSuiteOptions } from "../support/cache-fixtures.ts";

/**
 * Broken on purpose: `put` hides a wrong `Content-Length` from the cache (as a cache that trusts
 * it and never counts would store the body anyway). The size tests (C5) must fail.
 */
function trustingContentLength(cache: CacheLike): CacheLike {
  return {
    match: (request, options) => cache.match(request, options),
    delete: (request, options) => cache.delete(request, options),
    put(request, response) {
      if (!response.headers.has("Content-Length")) return cache.put(request, response);
      const headers = new Headers(response.headers);
      headers.delete("Content-Length");
      return cache.put(request, new Response(response.body, { status: response.status, headers }));
    },
  };
}

describeCache(
  cacheSuiteOptions({ blobs: "memory", engine: "native", database: "memory" }, "broken: trusts Content-Length", {
    wrap: (caches): CacheStorageLike => ({
      default: trustingContentLength(caches.default),
      open: async (name) => trustingContentLength(await caches.open(name)),
    }),
  }),
);
