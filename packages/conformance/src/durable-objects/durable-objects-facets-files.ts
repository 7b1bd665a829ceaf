import { describe, expect, it } from "vitest";
import type { DescribeDurableObjectFacetsOptions } from "./durable-objects-facets-fixture.js";
import { FACETS_INDEX_MAGIC, facetDatabases, facetsIndexEntry, persistentHooks, rootOf, useFacetsFixture } from "./durable-objects-facets-support.js";

/**
 * Facets in files (spec on-disk-layout.md §8), `[persistent]` only: data across a reopen, the
 * `<rootId>.facets` index in workerd's byte format (append-only, ids never reused, read when
 * another tool wrote it), and `<rootId>.<n>.sqlite` files that delete, clone and deleteAll act on.
 */
export function describeDurableObjectFacetFiles(options: DescribeDurableObjectFacetsOptions): void {
  const persistent = options.capabilities.persistent;
  describe(`durable objects ${options.name} facet files`, () => {
    const fresh = useFacetsFixture(options);

    it.skipIf(!persistent)("keeps facet data and nested facets across a reopen [persistent]", async () => {
      const fixture = await fresh();
      const { reopen } = persistentHooks(fixture);
      const before = rootOf(fixture.namespace).storage;
      await before.facets.get("alpha").storage.put("k", "alpha");
      await before.facets.get("beta").storage.put("k", "beta");
      const inner = before.facets.get("alpha").storage.facets.get("inner").storage;
      await inner.put("k", "inner");
      inner.sql.exec("CREATE TABLE t (x)");
      inner.sql.exec("INSERT INTO t VALUES ('row')");
      const after = rootOf(await reopen()).storage;
      // Another order than the writes', so ids assigned afresh would land on the wrong files.
      expect(await after.facets.get("beta").storage.get("k")).toBe("beta");
      const alpha = after.facets.get("alpha").storage;
      expect(await alpha.facets.get("inner").storage.get("k")).toBe("inner");
      expect(alpha.facets.get("inner").storage.sql.exec("SELECT x FROM t").toArray()).toEqual([{ x: "row" }]);
      expect(await alpha.get("k")).toBe("alpha");
    });

    it.skipIf(!persistent)("writes <rootId>.facets in workerd's format and each facet to <rootId>.<n>.sqlite [persistent]", async () => {
      const fixture = await fresh();
      const { inspect } = persistentHooks(fixture);
      const { id, storage } = rootOf(fixture.namespace);
      const names = ["alpha", "beta", "a/b", "a\x01b", "n".repeat(256)];
      for (const name of names) await storage.facets.get(name).storage.put("name", name);
      await storage.facets.get("alpha").storage.facets.get("inner").storage.put("name", "inner");
      const expected = [...FACETS_INDEX_MAGIC, ...names.flatMap((name) => facetsIndexEntry(0, name)), ...facetsIndexEntry(1, "inner")];
      expect([...((await inspect.readFile(`${id}.facets`)) ?? [])]).toEqual(expected);
      const files = await inspect.files();
      expect(facetDatabases(files, id)).toEqual([1, 2, 3, 4, 5, 6].map((n) => `${id}.${n}.sqlite`).sort());
      // Each file holds its own facet's data: n follows the order of first use.
      for (const [n, name] of [...names, "inner"].entries()) expect(await inspect.kvKeys(`${id}.${n + 1}.sqlite`)).toEqual(["name"]);
      expect(await inspect.kvKeys(`${id}.7.sqlite`)).toBeNull();
    });

    it.skipIf(!persistent)("keeps each name's id across a reopen and never reuses one: only new names append [persistent]", async () => {
      const fixture = await fresh();
      const { reopen, inspect } = persistentHooks(fixture);
      const first = rootOf(fixture.namespace);
      await first.storage.facets.get("one").storage.put("k", 1);
      await first.storage.facets.get("two").storage.put("k", 2);
      first.storage.facets.delete("one");
      const second = rootOf(await reopen());
      await second.storage.facets.get("three").storage.put("k", 3);
      await second.storage.facets.get("one").storage.put("k", "one again");
      const expected = [...FACETS_INDEX_MAGIC, ...facetsIndexEntry(0, "one"), ...facetsIndexEntry(0, "two"), ...facetsIndexEntry(0, "three")];
      expect([...((await inspect.readFile(`${first.id}.facets`)) ?? [])]).toEqual(expected);
      expect(await second.storage.facets.get("two").storage.get("k")).toBe(2);
      expect(await second.storage.facets.get("one").storage.get("k")).toBe("one again");
      expect(await inspect.kvKeys(`${first.id}.3.sqlite`)).toEqual(["k"]);
    });

    it.skipIf(!persistent)("reads an index another tool wrote: a name maps to the file its entry numbers [persistent]", async () => {
      const fixture = await fresh();
      const { reopen, inspect } = persistentHooks(fixture);
      const id = rootOf(fixture.namespace).id;
      const written = [...FACETS_INDEX_MAGIC, ...facetsIndexEntry(0, "zeta"), ...facetsIndexEntry(0, "alpha"), ...facetsIndexEntry(2, "inner")];
      await inspect.writeFile(`${id}.facets`, Uint8Array.from(written));
      const { storage } = rootOf(await reopen());
      await storage.facets.get("alpha").storage.facets.get("inner").storage.put("k", "inner");
      await storage.facets.get("alpha").storage.put("k", "alpha");
      await storage.facets.get("new").storage.put("k", "new");
      expect(await inspect.kvKeys(`${id}.1.sqlite`)).toBeNull();
      expect(await inspect.kvKeys(`${id}.2.sqlite`)).toEqual(["k"]);
      expect(await inspect.kvKeys(`${id}.3.sqlite`)).toEqual(["k"]);
      expect(await inspect.kvKeys(`${id}.4.sqlite`)).toEqual(["k"]);
      expect([...((await inspect.readFile(`${id}.facets`)) ?? [])]).toEqual([...written, ...facetsIndexEntry(0, "new")]);
    });

    it.skipIf(!persistent)("delete and the root's deleteAll remove facet files and keep the index [persistent]", async () => {
      const fixture = await fresh();
      const { inspect } = persistentHooks(fixture);
      const { id, storage } = rootOf(fixture.namespace);
      await storage.facets.get("a").storage.facets.get("b").storage.put("k", 1);
      await storage.facets.get("a").storage.put("k", 1);
      await storage.facets.get("keep").storage.put("k", 1);
      storage.facets.delete("a");
      const companions = (n: number) => (file: string) => file.startsWith(`${id}.${n}.sqlite`);
      const afterDelete = await inspect.files();
      expect(afterDelete.filter(companions(1))).toEqual([]);
      expect(afterDelete.filter(companions(2))).toEqual([]);
      expect(facetDatabases(afterDelete, id)).toEqual([`${id}.3.sqlite`]);
      await storage.deleteAll();
      const afterDeleteAll = await inspect.files();
      expect(facetDatabases(afterDeleteAll, id)).toEqual([]);
      expect(afterDeleteAll).toContain(`${id}.facets`);
    });

    it.skipIf(!persistent)("clone copies committed data into dst's own file, which survives a reopen [persistent]", async () => {
      const fixture = await fresh();
      const { reopen, inspect } = persistentHooks(fixture);
      const { id, storage } = rootOf(fixture.namespace);
      const src = storage.facets.get("src").storage;
      await src.put("k", "v");
      await src.facets.get("kid").storage.put("k", "kid");
      await storage.facets.clone("src", "dst");
      // src = 1, kid = 2, dst = 3, dst's kid = 4.
      expect(await inspect.kvKeys(`${id}.3.sqlite`)).toEqual(["k"]);
      expect(await inspect.kvKeys(`${id}.4.sqlite`)).toEqual(["k"]);
      const after = rootOf(await reopen()).storage;
      expect(await after.facets.get("dst").storage.get("k")).toBe("v");
      expect(await after.facets.get("dst").storage.facets.get("kid").storage.get("k")).toBe("kid");
    });
  });
}
