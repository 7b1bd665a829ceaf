import { describeR2 } from "@cellar/conformance";
import { BACKENDS } from "./support/backends.ts";
import { r2SuiteOptions } from "./support/r2-fixtures.ts";

// The whole R2 suite on every backend combination: {memory, fs} blobs × {better-sqlite3,
// sql.js} × {:memory:, file}.
for (const backend of BACKENDS) describeR2(r2SuiteOptions(backend));
