import { describeKV } from "@cellar/conformance";
import { KV_BACKENDS, kvSuiteOptions } from "./support/kv-fixtures.ts";

// The whole KV suite on every backend combination: {memory, fs} blobs × {better-sqlite3,
// sql.js} × {:memory:, file}.
for (const backend of KV_BACKENDS) describeKV(kvSuiteOptions(backend));
