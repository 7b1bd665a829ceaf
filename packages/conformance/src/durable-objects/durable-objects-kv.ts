import { describe, expect, it } from "vitest";
import { caught, useDurableObjectFixture } from "./durable-objects-context.js";
import type { DescribeDurableObjectStorageOptions } from "./durable-objects-fixture.js";

const ORDERED_KEYS = ["", "B", "a", "a\0", "aa", "ab", "b", "z", "é", "\uffff", "😀"];

/** The async KV API: values, batches, list ranges and order, validation (spec §1–§3). */
export function describeDurableObjectKv(options: DescribeDurableObjectStorageOptions): void {
  describe(`durable objects ${options.name} kv`, () => {
    const fresh = useDurableObjectFixture(options);

    it("round-trips structured-cloneable values, Date, Map, BigInt and typed arrays included", async () => {
      const { storage } = await fresh();
      const values: Record<string, unknown> = { s: "", n: 1.5, o: { a: [1, "x"] }, d: new Date(5), m: new Map([[1, 2]]), b: 12n, u: new Uint8Array([1, 2, 3]), nil: null };
      await storage.put(values);
      for (const [key, value] of Object.entries(values)) expect(await storage.get(key)).toEqual(value);
      expect(await storage.get("missing")).toBeUndefined();
    });

    it("stores V8-serialized bytes with the version 15 header in _cf_KV [rawRows]", async (context) => {
      const { storage, rawRows } = await fresh();
      if (rawRows === undefined) return context.skip();
      await storage.put("k", "");
      await storage.put("n", 42, { allowUnconfirmed: false });
      const rows = await rawRows();
      expect([...(rows.find((row) => row.key === "k")?.value ?? [])]).toEqual([0xff, 0x0f, 0x22, 0x00]);
      expect(rows.map((row) => row.key)).toEqual(["k", "n"]);
    });

    it("coerces keys to strings and returns a Map in UTF-8 order without missing keys", async () => {
      const { storage } = await fresh();
      await storage.put({ b: 2, a: 1, "42": "n" });
      expect(await storage.get(42 as unknown as string)).toBe("n");
      const map = (await storage.get(["b", "zz", "a"])) as Map<string, unknown>;
      expect([...map]).toEqual([["a", 1], ["b", 2]]);
    });

    it("lists keys in UTF-8 byte order, whatever order they were written in", async () => {
      const { storage } = await fresh();
      for (const key of [...ORDERED_KEYS].reverse()) await storage.put(key, key);
      expect([...(await storage.list()).keys()]).toEqual(ORDERED_KEYS);
      expect([...(await storage.list({ reverse: true, limit: 2 })).keys()]).toEqual(["😀", "\uffff"]);
    });

    it("applies start, startAfter, end, prefix and limit", async () => {
      const { storage } = await fresh();
      await storage.put(Object.fromEntries(["a", "a\0", "aa", "ab", "b", "ba", "c"].map((key) => [key, 1])));
      const keys = async (opts: Record<string, unknown>) => [...(await storage.list(opts)).keys()];
      expect(await keys({ start: "aa", end: "b" })).toEqual(["aa", "ab"]);
      // startAfter is start = startAfter + "\0", inclusive, so "a\0" itself is listed (spec §3).
      expect(await keys({ startAfter: "a" })).toEqual(["a\0", "aa", "ab", "b", "ba", "c"]);
      expect(await keys({ startAfter: "a\0" })).toEqual(["aa", "ab", "b", "ba", "c"]);
      expect(await keys({ prefix: "a" })).toEqual(["a", "a\0", "aa", "ab"]);
      expect(await keys({ prefix: "b", limit: 1 })).toEqual(["b"]);
      expect(await keys({ start: "c", end: "a" })).toEqual([]);
    });

    it("deletes one key (boolean) or several (count)", async () => {
      const { storage } = await fresh();
      await storage.put({ a: 1, b: 2, c: 3 });
      expect(await storage.delete("a")).toBe(true);
      expect(await storage.delete("a")).toBe(false);
      expect(await storage.delete(["b", "c", "zz"])).toBe(2);
      expect((await storage.list()).size).toBe(0);
    });

    it("skips entries whose value is undefined in put(entries)", async () => {
      const { storage } = await fresh();
      await storage.put({ a: 1, b: undefined, c: 3 });
      expect([...(await storage.list()).keys()]).toEqual(["a", "c"]);
    });

    it("rejects bad input with the runtime's errors and leaves storage unchanged", async () => {
      const { storage } = await fresh();
      await storage.put("keep", 1);
      const undef = await caught(() => storage.put("x", undefined));
      expect(undef).toBeInstanceOf(TypeError);
      expect(undef.message).toBe("put() called with undefined value.");
      const fn = await caught(() => storage.put({ y: 1, z: () => 1 }));
      expect(fn.name).toBe("DataCloneError");
      expect(fn.message).toBe("() => 1 could not be cloned.");
      const sym = await caught(() => storage.put("s", Symbol("q")));
      expect(sym.message).toBe("Symbol(q) could not be cloned.");
      expect((await caught(() => storage.list({ limit: 0 }))).message).toBe("List limit must be positive.");
      expect((await caught(() => storage.list({ start: "a", startAfter: "b" }))).message).toBe("list() cannot be called with both start and startAfter values.");
      expect([...(await storage.list())]).toEqual([["keep", 1]]);
    });

    it("applies KV-mode limits with the runtime's messages (O2)", async () => {
      const { kvModeStorage: storage } = await fresh();
      const key = await caught(() => storage.put("k".repeat(2049), 1));
      expect(key).toBeInstanceOf(RangeError);
      expect(key.message).toBe("Keys cannot be larger than 2048 bytes. A key of size 2049 was provided.");
      const value = await caught(() => storage.put("v", "x".repeat(131_072 + 100)));
      expect(value.message).toMatch(/^Values cannot be larger than 131072 bytes\. A value of size \d+ was provided\.$/);
      const many = Array.from({ length: 129 }, (_, i) => `k${i}`);
      for (const run of [() => storage.get(many), () => storage.put(Object.fromEntries(many.map((k) => [k, 1]))), () => storage.delete(many)]) {
        expect((await caught(run)).message).toBe("Maximum number of key value pairs is 128. 129 pairs were provided.");
      }
      await storage.put("k".repeat(2048), 1);
      expect((await storage.list()).size).toBe(1);
    });

    it("rejects a SQLite-mode row over 2,000,000 bytes with SQLITE_TOOBIG (O1)", async () => {
      const { storage } = await fresh();
      expect((await caught(() => storage.put("big", "x".repeat(2_000_000)))).message).toBe("string or blob too big: SQLITE_TOOBIG");
      expect(await storage.get("big")).toBeUndefined();
    });

    it("keeps KV-backed objects away from the SQLite-only APIs with the production messages (O9)", async () => {
      const { kvModeStorage: storage } = await fresh();
      expect((await caught(() => storage.sql)).message).toMatch(/^This Durable Object is not backed by SQLite storage/);
      expect((await caught(() => storage.kv)).message).toMatch(/^The storage\.kv \(synchronous KV\) API is only available/);
      expect((await caught(() => storage.transactionSync(() => 1))).message).toBe("Durable Object is not backed by SQL.");
    });

    it("deleteAll empties the object, SQL tables included", async () => {
      const { storage } = await fresh();
      await storage.put("a", 1);
      storage.sql.exec("CREATE TABLE t (x)");
      await storage.deleteAll();
      expect((await storage.list()).size).toBe(0);
      expect(storage.sql.exec("SELECT name FROM sqlite_master").toArray()).toEqual([]);
      await storage.put("b", 2);
      expect(await storage.get("b")).toBe(2);
    });

    it("persists across a reopen [reopen]", async (context) => {
      const fixture = await fresh();
      if (fixture.reopen === undefined) return context.skip();
      await fixture.storage.put({ a: 1, b: new Date(3) });
      fixture.storage.kv.put("c", "sync");
      await fixture.storage.sync();
      const again = await fixture.reopen();
      expect([...(await again.list())]).toEqual([["a", 1], ["b", new Date(3)], ["c", "sync"]]);
    });
  });
}
