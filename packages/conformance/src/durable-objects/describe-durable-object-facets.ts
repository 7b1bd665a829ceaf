import { describeDurableObjectFacetBasics } from "./durable-objects-facets-basics.js";
import { describeDurableObjectFacetFiles } from "./durable-objects-facets-files.js";
import type { DescribeDurableObjectFacetsOptions } from "./durable-objects-facets-fixture.js";
import { describeDurableObjectFacetLifecycle } from "./durable-objects-facets-lifecycle.js";

/**
 * The whole facets suite (workerd's experimental `ctx.facets`; spec durable-objects.md and
 * on-disk-layout.md §8): each group is also exported alone. Each test gets a fresh namespace
 * from `options.create`; the file tests run only with `capabilities.persistent`.
 */
export function describeDurableObjectFacets(options: DescribeDurableObjectFacetsOptions): void {
  describeDurableObjectFacetBasics(options);
  describeDurableObjectFacetLifecycle(options);
  describeDurableObjectFacetFiles(options);
}
