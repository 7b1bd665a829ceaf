import { useDurableObjectFixture } from "./durable-objects-context.js";
import type { DescribeDurableObjectFacetsOptions, DurableObjectFacetsFixture, FacetsInspect, FacetsNamespaceLike, FacetStorageLike } from "./durable-objects-facets-fixture.js";

// The storage suite's helper, passed on so the facets groups import all they use from this file.
export { caught } from "./durable-objects-context.js";

/** workerd's messages (spec durable-objects.md §2). */
export const FACET_MESSAGES = {
  nameEmpty: "Facet name cannot be empty",
  nameTooLong: "Facet name is too long (max 256 characters).",
  depth: "Facet nesting depth limit exceeded. The maximum depth including the root Durable Object is 4.",
  deleted: "Facet was deleted.",
  alarm: "Facets currently cannot set alarms.",
} as const;

/** The first 8 bytes of every `<rootId>.facets` file (spec on-disk-layout.md §8). */
export const FACETS_INDEX_MAGIC = [0x57, 0xef, 0xb0, 0xc5, 0x5b, 0xce, 0xcd, 0xc4] as const;

/** Gives each test a fresh facets fixture and cleans it up afterwards. */
export function useFacetsFixture(options: DescribeDurableObjectFacetsOptions): () => Promise<DurableObjectFacetsFixture> {
  return useDurableObjectFixture(options);
}

/** The root object every test uses, named `root` in the fixture's namespace. */
export function rootOf(namespace: FacetsNamespaceLike): { id: string; storage: FacetStorageLike } {
  const handle = namespace.get(namespace.idFromName("root"));
  return { id: handle.id.toString(), storage: handle.storage };
}

/** The hooks a `[persistent]` test needs; a fixture declaring the capability without them fails. */
export function persistentHooks(fixture: DurableObjectFacetsFixture): { reopen: () => Promise<FacetsNamespaceLike>; inspect: FacetsInspect } {
  const { reopen, inspect } = fixture;
  if (reopen === undefined || inspect === undefined) throw new Error("capabilities.persistent needs the fixture's reopen and inspect hooks");
  return { reopen, inspect };
}

/** One `.facets` entry: `u16 LE parent`, `u16 LE name length` in UTF-8 bytes, the name. */
export function facetsIndexEntry(parent: number, name: string): number[] {
  const bytes = [...new TextEncoder().encode(name)];
  return [parent & 0xff, parent >> 8, bytes.length & 0xff, bytes.length >> 8, ...bytes];
}

/** The database files of facets of `rootId` (`<rootId>.<n>.sqlite`), without `-wal`/`-shm`. */
export function facetDatabases(files: readonly string[], rootId: string): string[] {
  return files.filter((file) => file.startsWith(`${rootId}.`) && /^\.\d+\.sqlite$/.test(file.slice(rootId.length))).sort();
}
