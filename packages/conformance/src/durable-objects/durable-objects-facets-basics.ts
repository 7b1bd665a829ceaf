import { describe, expect, it } from "vitest";
import type { DescribeDurableObjectFacetsOptions } from "./durable-objects-facets-fixture.js";
import { caught, FACET_MESSAGES, rootOf, useFacetsFixture } from "./durable-objects-facets-support.js";

/**
 * Facets (spec durable-objects.md §1-§3): `facets.get(name, startup?)` gives storage of its own,
 * named within its parent; what each facet sees as its id; workerd's name rules, depth limit and
 * messages.
 */
export function describeDurableObjectFacetBasics(options: DescribeDurableObjectFacetsOptions): void {
  describe(`durable objects ${options.name} facets`, () => {
    const fresh = useFacetsFixture(options);

    it("gives each facet storage of its own, apart from the root's and its siblings'", async () => {
      const { storage } = rootOf((await fresh()).namespace);
      const alpha = storage.facets.get("alpha");
      const beta = storage.facets.get("beta");
      await storage.put("k", "root");
      await alpha.storage.put("k", "alpha");
      await beta.storage.put("only-beta", 1);
      alpha.storage.sql.exec("CREATE TABLE t (x)");
      alpha.storage.sql.exec("INSERT INTO t VALUES (1)");
      expect(await storage.get("k")).toBe("root");
      expect(await alpha.storage.get("k")).toBe("alpha");
      expect(await beta.storage.get("k")).toBeUndefined();
      expect([...(await storage.list()).keys()]).toEqual(["k"]);
      expect([...(await alpha.storage.list()).keys()]).toEqual(["k"]);
      expect([...(await beta.storage.list()).keys()]).toEqual(["only-beta"]);
      expect(alpha.storage.sql.exec("SELECT x FROM t").toArray()).toEqual([{ x: 1 }]);
      expect(() => storage.sql.exec("SELECT x FROM t")).toThrow(/no such table: t/);
      expect(() => beta.storage.sql.exec("SELECT x FROM t")).toThrow(/no such table: t/);
    });

    it("names facets within their parent: the same name elsewhere in the tree is another facet", async () => {
      const { storage } = rootOf((await fresh()).namespace);
      const outer = storage.facets.get("x");
      const nested = storage.facets.get("alpha").storage.facets.get("x");
      const deeper = nested.storage.facets.get("x");
      await outer.storage.put("at", "root/x");
      await nested.storage.put("at", "root/alpha/x");
      await deeper.storage.put("at", "root/alpha/x/x");
      expect(await storage.facets.get("x").storage.get("at")).toBe("root/x");
      expect(await storage.facets.get("alpha").storage.facets.get("x").storage.get("at")).toBe("root/alpha/x");
      expect(await nested.storage.facets.get("x").storage.get("at")).toBe("root/alpha/x/x");
      expect(await storage.facets.get("alpha").storage.get("at")).toBeUndefined();
    });

    it("keeps facets of different root objects apart", async () => {
      const { namespace } = await fresh();
      const one = namespace.get(namespace.idFromName("root")).storage.facets.get("f");
      const two = namespace.get(namespace.idFromName("other root")).storage.facets.get("f");
      await one.storage.put("k", "one");
      await two.storage.put("k", "two");
      expect(await one.storage.get("k")).toBe("one");
      expect(await two.storage.get("k")).toBe("two");
    });

    it("gives a facet its parent's id by default, or the id its startup gives", async () => {
      const { namespace } = await fresh();
      const { id, storage } = rootOf(namespace);
      expect(storage.facets.get("plain").id.toString()).toBe(id);
      const custom = storage.facets.get("custom", () => ({ id: "custom id" }));
      expect(custom.id).toBe("custom id");
      // A facet's child inherits the facet's id, not the root's.
      expect(custom.storage.facets.get("child").id).toBe("custom id");
      const other = namespace.idFromName("other");
      expect(storage.facets.get("by-object", { id: other }).id.toString()).toBe(other.toString());
    });

    it("runs the startup callback only when the facet starts, and again after an abort", async () => {
      const { storage } = rootOf((await fresh()).namespace);
      let calls = 0;
      const startup = () => ({ id: `run ${++calls}` });
      expect(storage.facets.get("f", startup).id).toBe("run 1");
      await storage.facets.get("f", startup).storage.put("k", 1);
      expect(storage.facets.get("f", startup).id).toBe("run 1");
      expect(calls).toBe(1);
      storage.facets.abort("f", new Error("restart"));
      const restarted = storage.facets.get("f", startup);
      expect(restarted.id).toBe("run 2");
      expect(calls).toBe(2);
      expect(await restarted.storage.get("k")).toBe(1);
    });

    it("accepts names up to 256 UTF-8 bytes, with '/', NUL and control characters, each its own facet", async () => {
      const { storage } = rootOf((await fresh()).namespace);
      const names = ["n".repeat(256), "é".repeat(128), "a/b", "a_b", "a\\b", "a\x01b", "a\x00b", ".", ".."];
      for (const name of names) await storage.facets.get(name).storage.put("name", name);
      for (const name of names) expect(await storage.facets.get(name).storage.get("name")).toBe(name);
    });

    it("rejects an empty name and one over 256 UTF-8 bytes with workerd's messages", async () => {
      const { storage } = rootOf((await fresh()).namespace);
      const empty = await caught(() => storage.facets.get(""));
      expect(empty).toBeInstanceOf(Error);
      expect(empty.message).toBe(FACET_MESSAGES.nameEmpty);
      for (const name of ["n".repeat(257), "é".repeat(129)]) {
        const long = await caught(() => storage.facets.get(name));
        expect(long).toBeInstanceOf(TypeError);
        expect(long.message).toBe(FACET_MESSAGES.nameTooLong);
      }
      // A rejected name creates nothing: the root still works and has no such facet.
      await storage.facets.get("ok").storage.put("k", 1);
      expect(await storage.facets.get("ok").storage.get("k")).toBe(1);
    });

    it("limits nesting to 4 levels counting the root, with workerd's message", async () => {
      const { storage } = rootOf((await fresh()).namespace);
      const depth2 = storage.facets.get("x").storage;
      const depth3 = depth2.facets.get("y").storage;
      const depth4 = depth3.facets.get("z").storage;
      await depth4.put("deep", 1);
      const tooDeep = await caught(() => depth4.facets.get("w"));
      expect(tooDeep).toBeInstanceOf(Error);
      expect(tooDeep.message).toBe(FACET_MESSAGES.depth);
      expect((await caught(() => depth4.facets.clone("a", "b"))).message).toBe(FACET_MESSAGES.depth);
      expect(await storage.facets.get("x").storage.facets.get("y").storage.facets.get("z").storage.get("deep")).toBe(1);
    });

    it("refuses alarms in a facet with workerd's message; getAlarm is null", async () => {
      const { storage } = rootOf((await fresh()).namespace);
      const facet = storage.facets.get("f").storage;
      const error = await caught(() => facet.setAlarm(Date.now() + 60_000));
      expect(error).toBeInstanceOf(Error);
      expect(error.message).toBe(FACET_MESSAGES.alarm);
      expect(await facet.getAlarm()).toBeNull();
    });
  });
}
