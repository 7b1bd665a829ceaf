import { describeDurableObjectFacets } from "@cellar/conformance";
import { SQL_BACKENDS } from "./support/backends.ts";
import { durableObjectFacetsSuiteOptions } from "./support/durable-objects-facets-fixtures.ts";

// The whole facets suite on better-sqlite3 and sql.js, in memory and in files.
for (const backend of SQL_BACKENDS) describeDurableObjectFacets(durableObjectFacetsSuiteOptions(backend));
