import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { describeDurableObjectFacets } from "@cellar/conformance";
import { openDurableObjectFacetsFixture } from "../support/durable-objects-facets-fixtures.ts";

/**
 * A facet index that does not outlive the process: the `.facets` files are gone whenever the
 * namespace opens again, so ids are handed out afresh in order of first use, and a facet can land
 * on another facet's file. The facet files themselves and everything else are real.
 */
async function forgetIndexes(namespaceDirectory: string): Promise<void> {
  for (const file of await readdir(namespaceDirectory)) {
    if (file.endsWith(".facets")) await rm(join(namespaceDirectory, file));
  }
}

describeDurableObjectFacets({
  name: "broken: index not persisted",
  capabilities: { persistent: true },
  create: () => openDurableObjectFacetsFixture({ blobs: "memory", engine: "native", database: "file" }, { beforeReopen: forgetIndexes }),
});
