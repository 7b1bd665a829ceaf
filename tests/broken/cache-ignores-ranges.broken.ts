import { describeCache, type CacheLike, type CacheStorageLike } from "@cellar/conformance";
import { cacheSuiteOptions } from "../support/cache-fixtures.ts";

/** Broken on purpose: `match` drops the request's `Range`, so every ranged match gets the whole body. */
function ignoringRanges(cache: CacheLike): CacheLike {
  return {
    put: (request, response) => cache.put(request, response),
    delete: (request, options) => cache.delete(request, options),
    match(request, options) {
      if (!(request instanceof Request)) return cache.match(request, options);
      const headers = new Headers(request.headers);
      headers.delete("Range");
      return cache.match(Object.assign(new Request(request, { headers }), { cf: (request as { cf?: unknown }).cf }), options);
    },
  };
}

describeCache(
  cacheSuiteOptions({ blobs: "memory", engine: "native", database: "memory" }, "broken: ignores ranges", {
    wrap: (caches): CacheStorageLike => ({
      default: ignoringRanges(caches.default),
      open: async (name) => ignoringRanges(await caches.open(name)),
    }),
  }),
);
