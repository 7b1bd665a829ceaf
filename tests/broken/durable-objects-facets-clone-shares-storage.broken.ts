import { describeDurableObjectFacets, type FacetsLike, type FacetStorageLike } from "@cellar/conformance";
import { withOverrides } from "../support/with-overrides.ts";
import { openDurableObjectFacetsFixture } from "../support/durable-objects-facets-fixtures.ts";

/**
 * `facets.clone(src, dst)` that copies nothing: `dst` is deleted, then becomes another name for
 * `src`, so both names reach one storage (and the alias lives only in memory). Everything else is
 * the real storage.
 */
const wrapped = new WeakMap<FacetStorageLike, FacetStorageLike>();
function cloneSharesStorage(storage: FacetStorageLike): FacetStorageLike {
  const cached = wrapped.get(storage);
  if (cached !== undefined) return cached;
  const aliases = new Map<string, string>();
  const real = storage.facets;
  const target = (name: string): string => aliases.get(name) ?? name;
  const facets: Partial<FacetsLike> = {
    get: (name, startup) => real.get(target(name), startup),
    abort: (name, reason) => real.abort(target(name), reason),
    delete: (name) => void (aliases.delete(name) || real.delete(name)),
    async clone(src, dst) {
      real.delete(dst);
      aliases.set(dst, target(src));
    },
  };
  const result = withOverrides(storage, { facets: withOverrides(real, facets) });
  wrapped.set(storage, result);
  return result;
}

describeDurableObjectFacets({
  name: "broken: clone shares storage",
  capabilities: { persistent: true },
  create: () => openDurableObjectFacetsFixture({ blobs: "memory", engine: "native", database: "file" }, { wrap: cloneSharesStorage }),
});
