import { describeCache, type CacheStorageLike } from "@cellar/conformance";
import { cacheSuiteOptions } from "../support/cache-fixtures.ts";

// Broken on purpose: every named cache is caches.default. The isolation tests must fail.
describeCache(
  cacheSuiteOptions({ blobs: "memory", engine: "native", database: "memory" }, "broken: shares named caches", {
    wrap: (caches): CacheStorageLike => ({
      default: caches.default,
      open: async (name) => {
        await caches.open(name);
        return caches.default;
      },
    }),
  }),
);
