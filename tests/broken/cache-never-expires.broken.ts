import { CACHE_TEST_START, describeCache } from "@cellar/conformance";
import { cacheSuiteOptions } from "../support/cache-fixtures.ts";

// Broken on purpose: the cache reads a clock that never moves, ignoring the suite's, so nothing
// ever expires and no entry ages. The freshness and expiry tests must fail.
describeCache(
  cacheSuiteOptions({ blobs: "memory", engine: "native", database: "memory" }, "broken: never expires", {
    storage: { clock: { now: () => CACHE_TEST_START } },
  }),
);
