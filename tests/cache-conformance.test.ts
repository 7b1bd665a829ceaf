import { describeCache } from "@cellar/conformance";
import { CACHE_BACKENDS, cacheSuiteOptions } from "./support/cache-fixtures.ts";

// The whole Cache API suite on every backend combination: {memory, fs} blobs × {better-sqlite3,
// sql.js} × {:memory:, file}.
for (const backend of CACHE_BACKENDS) describeCache(cacheSuiteOptions(backend));
