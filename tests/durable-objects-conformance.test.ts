import { describeDurableObjectStorage } from "@cellar/conformance";
import { SQL_BACKENDS } from "./support/backends.ts";
import { durableObjectSuiteOptions } from "./support/durable-objects-fixtures.ts";

// The whole Durable Object storage suite on better-sqlite3 and sql.js, in memory and in files.
for (const backend of SQL_BACKENDS) describeDurableObjectStorage(durableObjectSuiteOptions(backend));
