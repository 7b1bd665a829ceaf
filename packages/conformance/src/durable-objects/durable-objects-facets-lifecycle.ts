import { describe, expect, it } from "vitest";
import type { DescribeDurableObjectFacetsOptions, FacetStorageLike } from "./durable-objects-facets-fixture.js";
import { caught, FACET_MESSAGES, rootOf, useFacetsFixture } from "./durable-objects-facets-support.js";

/** A facet `a` with a child `b` and a grandchild `c`, and a sibling `keep`, each holding data. */
async function tree(storage: FacetStorageLike): Promise<{ a: FacetStorageLike; b: FacetStorageLike; c: FacetStorageLike }> {
  const a = storage.facets.get("a").storage;
  const b = a.facets.get("b").storage;
  const c = b.facets.get("c").storage;
  await a.put("x", "a");
  await b.put("x", "b");
  await c.put("x", "c");
  await storage.facets.get("keep").storage.put("x", "keep");
  await storage.put("x", "root");
  return { a, b, c };
}

/** What the facets under `a` hold now, reached afresh from the root. */
async function contents(storage: FacetStorageLike): Promise<unknown[]> {
  const a = storage.facets.get("a").storage;
  const b = a.facets.get("b").storage;
  const c = b.facets.get("c").storage;
  return [await a.get("x"), await b.get("x"), await c.get("x")];
}

/**
 * Facet lifecycle (spec durable-objects.md §1, §3): `abort(name, reason)`, `delete(name)` with
 * every descendant, `clone(src, dst)` and its errors, and the root's `deleteAll()`.
 */
export function describeDurableObjectFacetLifecycle(options: DescribeDurableObjectFacetsOptions): void {
  describe(`durable objects ${options.name} facet lifecycle`, () => {
    const fresh = useFacetsFixture(options);

    it("abort stops the facet and its descendants: old handles throw the reason, committed data stays", async () => {
      const { storage } = rootOf((await fresh()).namespace);
      const { a, c } = await tree(storage);
      const reason = new Error("aborted by the test");
      storage.facets.abort("a", reason);
      expect(await caught(() => a.get("x"))).toBe(reason);
      expect(await caught(() => c.put("y", 1))).toBe(reason);
      expect(await contents(storage)).toEqual(["a", "b", "c"]);
      expect(await storage.facets.get("keep").storage.get("x")).toBe("keep");
      expect(await storage.get("x")).toBe("root");
      // A name that was never used has nothing to abort.
      storage.facets.abort("never used", reason);
    });

    it("abort drops the facet's writes that have not committed", async () => {
      const { storage } = rootOf((await fresh()).namespace);
      const f = storage.facets.get("f").storage;
      await f.put("x", 1);
      void f.put("x", 2, { allowUnconfirmed: true }).catch(() => undefined);
      storage.facets.abort("f", new Error("stop"));
      expect(await storage.facets.get("f").storage.get("x")).toBe(1);
    });

    it("delete removes the facet's data and every descendant's; siblings and the root keep theirs", async () => {
      const { storage } = rootOf((await fresh()).namespace);
      await tree(storage);
      storage.facets.delete("a");
      expect(await contents(storage)).toEqual([undefined, undefined, undefined]);
      expect(await storage.facets.get("keep").storage.get("x")).toBe("keep");
      expect(await storage.get("x")).toBe("root");
      // A name that was never used has nothing to delete.
      storage.facets.delete("never used");
    });

    it("delete aborts running handles of the facet and its descendants with workerd's message", async () => {
      const { storage } = rootOf((await fresh()).namespace);
      const { a, c } = await tree(storage);
      storage.facets.delete("a");
      expect((await caught(() => a.get("x"))).message).toBe(FACET_MESSAGES.deleted);
      expect((await caught(() => c.get("x"))).message).toBe(FACET_MESSAGES.deleted);
    });

    it("delete also deletes a facet that is not running", async () => {
      const { storage } = rootOf((await fresh()).namespace);
      await tree(storage);
      storage.facets.abort("a", new Error("stopped"));
      storage.facets.delete("a");
      expect(await contents(storage)).toEqual([undefined, undefined, undefined]);
    });

    it("clone copies src's data, SQL tables and descendants into dst, replacing what dst held", async () => {
      const { storage } = rootOf((await fresh()).namespace);
      const src = storage.facets.get("src").storage;
      await src.put("k", "v");
      src.sql.exec("CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT, bytes BLOB)");
      src.sql.exec("CREATE INDEX t_body ON t (body)");
      src.sql.exec("INSERT INTO t (body, bytes) VALUES ('one', ?)", new Uint8Array([1, 2, 3]));
      src.sql.exec("INSERT INTO t (body) VALUES ('deleted')");
      src.sql.exec("DELETE FROM t WHERE id = 2");
      await src.facets.get("kid").storage.put("k", "kid");
      const dst = storage.facets.get("dst").storage;
      await dst.put("old", true);
      await dst.facets.get("old kid").storage.put("k", "old");
      await storage.facets.clone("src", "dst");
      // The old dst was replaced: its handles are dead, its data and children gone.
      expect((await caught(() => dst.get("old"))).message).toBe(FACET_MESSAGES.deleted);
      const copy = storage.facets.get("dst").storage;
      expect(Object.fromEntries(await copy.list())).toEqual({ k: "v" });
      expect(copy.sql.exec("SELECT id, body, bytes FROM t").toArray()).toEqual([{ id: 1, body: "one", bytes: new Uint8Array([1, 2, 3]).buffer }]);
      expect(copy.sql.exec("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 't_body'").toArray()).toEqual([{ name: "t_body" }]);
      // The AUTOINCREMENT counter comes along: the copy never reuses the source's deleted id 2.
      copy.sql.exec("INSERT INTO t (body) VALUES ('three')");
      expect(copy.sql.exec("SELECT id FROM t WHERE body = 'three'").toArray()).toEqual([{ id: 3 }]);
      expect(await copy.facets.get("kid").storage.get("k")).toBe("kid");
      expect(await copy.facets.get("old kid").storage.get("k")).toBeUndefined();
      // The source keeps running.
      expect(await src.get("k")).toBe("v");
    });

    it("clone makes an independent copy: later writes to either side stay on that side", async () => {
      const { storage } = rootOf((await fresh()).namespace);
      const src = storage.facets.get("src").storage;
      await src.put("k", "v");
      await src.facets.get("kid").storage.put("k", "kid");
      await storage.facets.clone("src", "dst");
      const copy = storage.facets.get("dst").storage;
      await src.put("k", "changed in src");
      await copy.put("only", "dst");
      await copy.facets.get("kid").storage.put("k", "changed in dst");
      expect(await copy.get("k")).toBe("v");
      expect(await src.get("only")).toBeUndefined();
      expect(await src.facets.get("kid").storage.get("k")).toBe("kid");
      storage.facets.delete("src");
      expect(await storage.facets.get("dst").storage.get("k")).toBe("v");
    });

    it("clone holds src's writes made just before it", async () => {
      const { storage } = rootOf((await fresh()).namespace);
      const src = storage.facets.get("src").storage;
      void src.put("k", "unawaited", { allowUnconfirmed: true });
      await storage.facets.clone("src", "dst");
      expect(await storage.facets.get("dst").storage.get("k")).toBe("unawaited");
    });

    it("clone of a src that was never used leaves dst empty; bad names are refused", async () => {
      const { storage } = rootOf((await fresh()).namespace);
      await storage.facets.get("dst").storage.put("k", 1);
      await storage.facets.clone("never used", "dst");
      expect(await storage.facets.get("dst").storage.get("k")).toBeUndefined();
      expect((await caught(() => storage.facets.clone("dst", ""))).message).toBe(FACET_MESSAGES.nameEmpty);
      const long = await caught(() => storage.facets.clone("dst", "n".repeat(257)));
      expect(long).toBeInstanceOf(TypeError);
      expect(long.message).toBe(FACET_MESSAGES.nameTooLong);
    });

    it("the root's deleteAll deletes every facet at every depth; old handles stop working", async () => {
      const { storage } = rootOf((await fresh()).namespace);
      const { a, c } = await tree(storage);
      await storage.deleteAll();
      await expect(a.get("x")).rejects.toThrow();
      await expect(c.get("x")).rejects.toThrow();
      expect(await storage.get("x")).toBeUndefined();
      expect(await contents(storage)).toEqual([undefined, undefined, undefined]);
      expect(await storage.facets.get("keep").storage.get("x")).toBeUndefined();
      // The root and its facets work as before.
      await storage.facets.get("a").storage.put("x", "again");
      expect(await storage.facets.get("a").storage.get("x")).toBe("again");
    });

    it("a facet's deleteAll deletes its own descendants, not its parent's or siblings' data", async () => {
      const { storage } = rootOf((await fresh()).namespace);
      const { a } = await tree(storage);
      await a.deleteAll();
      expect(await contents(storage)).toEqual([undefined, undefined, undefined]);
      expect(await storage.facets.get("keep").storage.get("x")).toBe("keep");
      expect(await storage.get("x")).toBe("root");
    });
  });
}
