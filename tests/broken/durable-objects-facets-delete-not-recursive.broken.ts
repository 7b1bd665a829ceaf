import { describeDurableObjectFacets, type FacetStorageLike } from "@cellar/conformance";
import { DURABLE_OBJECT_MESSAGES, type CellarDurableObjectStorage } from "@cellar/durable-objects";
import { withOverrides } from "../support/with-overrides.ts";
import { openDurableObjectFacetsFixture } from "../support/durable-objects-facets-fixtures.ts";

/**
 * `facets.delete(name)` that deletes only the facet's own data: it aborts the facet (with
 * workerd's message) and empties its keys and SQL tables, but its descendants keep theirs, and
 * its file stays. Everything else is the real storage.
 */
function deleteKeepsDescendants(storage: FacetStorageLike): FacetStorageLike {
  const real = storage as CellarDurableObjectStorage;
  return withOverrides(real, {
    facets: withOverrides(real.facets, {
      delete(name: string) {
        real.facets.abort(name, new Error(DURABLE_OBJECT_MESSAGES.facetDeleted));
        const own = real.facets.get(name).storage;
        for (const [key] of own.kv.list()) own.kv.delete(key);
        const tables = own.sql.exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'");
        for (const { name: table } of tables.toArray()) own.sql.exec(`DROP TABLE "${String(table)}"`);
      },
    }),
  });
}

describeDurableObjectFacets({
  name: "broken: delete keeps descendants",
  capabilities: { persistent: true },
  create: () => openDurableObjectFacetsFixture({ blobs: "memory", engine: "native", database: "file" }, { wrap: deleteKeepsDescendants }),
});
