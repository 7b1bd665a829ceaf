import { describeD1 } from "@cellar/conformance";
import { SQL_BACKENDS } from "./support/backends.ts";
import { d1SuiteOptions } from "./support/d1-fixtures.ts";

// The whole D1 suite on every SQL backend: {better-sqlite3, sql.js} × {:memory:, file}.
for (const backend of SQL_BACKENDS) describeD1(d1SuiteOptions(backend));
