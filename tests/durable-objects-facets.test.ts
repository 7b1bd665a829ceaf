import { appendFileSync, existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDurableObjectNamespace, DURABLE_OBJECT_MESSAGES, FACETS_MAGIC, type CellarDurableObjectNamespace } from "@cellar/durable-objects";
import { afterEach, describe, expect, it } from "vitest";
import { backendName, engineOf, SQL_BACKENDS, type Backend } from "./support/backends.ts";

const KEY = "-Root";
const NAMES = ["alpha", "beta", "a/b", "a\x01b", "n".repeat(256)];

/** The worked example's `.facets` bytes (spec/on-disk-layout.md §8). */
function workedExampleBytes(): Uint8Array {
  const entry = (parent: number, name: string): number[] => {
    const bytes = [...Buffer.from(name, "utf8")];
    return [parent & 0xff, parent >> 8, bytes.length & 0xff, bytes.length >> 8, ...bytes];
  };
  return Uint8Array.from([...FACETS_MAGIC, ...NAMES.flatMap((name) => entry(0, name)), ...entry(1, "inner")]);
}

for (const backend of SQL_BACKENDS) {
  describe(`Durable Object facets (${backendName(backend, { blobs: false })})`, () => {
    const file = backend.database === "file";
    let dir: string | undefined;
    let namespaces: CellarDurableObjectNamespace[] = [];

    const open = async (): Promise<CellarDurableObjectNamespace> => {
      dir ??= file ? await mkdtemp(join(tmpdir(), "cellar-do-facets-")) : undefined;
      const ns = createDurableObjectNamespace({ uniqueKey: KEY, engine: await engineOf(backend), directory: dir });
      namespaces.push(ns);
      return ns;
    };
    const root = (ns: CellarDurableObjectNamespace) => ns.get(ns.idFromName("root"));
    const nsDir = () => join(dir as string, KEY);

    afterEach(async () => {
      for (const ns of namespaces) await ns.close();
      namespaces = [];
      if (dir !== undefined) await rm(dir, { recursive: true, force: true });
      dir = undefined;
    });

    it("gives each facet its own storage, separate from the root's", async () => {
      const ns = await open();
      const { storage } = root(ns);
      await storage.put("k", "root");
      const alpha = storage.facets.get("alpha");
      expect(alpha.id).toBe(root(ns).id);
      await alpha.storage.put("k", "alpha");
      alpha.storage.sql.exec("CREATE TABLE t(x)");
      alpha.storage.sql.exec("INSERT INTO t VALUES (1)");
      expect(await storage.get("k")).toBe("root");
      expect(await alpha.storage.get("k")).toBe("alpha");
      expect(storage.facets.get("alpha")).toBe(alpha);
      expect(storage.facets.get("beta", { id: "custom" }).id).toBe("custom");
      expect(await storage.facets.get("beta").storage.get("k")).toBeUndefined();
      expect(() => storage.sql.exec("SELECT * FROM t")).toThrow(/no such table/);
      await expect(alpha.storage.setAlarm(Date.now() + 1000)).rejects.toThrow(DURABLE_OBJECT_MESSAGES.facetAlarm);
      expect(await alpha.storage.getAlarm()).toBeNull();
    });

    it("runs the startup callback only when the facet is not running", async () => {
      const ns = await open();
      const { storage } = root(ns);
      let calls = 0;
      const startup = () => (calls++, { id: `run-${calls}` });
      expect(storage.facets.get("f", startup).id).toBe("run-1");
      expect(storage.facets.get("f", startup).id).toBe("run-1");
      storage.facets.abort("f", new Error("stop"));
      expect(storage.facets.get("f", startup).id).toBe("run-2");
      expect(calls).toBe(2);
    });

    it.runIf(file)("writes the worked example's .facets bytes and file names", async () => {
      const ns = await open();
      const { id, storage } = root(ns);
      const hex = id.toString();
      expect(hex.startsWith("ec481b51")).toBe(true);
      expect(hex.endsWith("5895")).toBe(true);
      for (const name of NAMES) await storage.facets.get(name).storage.put("x", name);
      await storage.facets.get("alpha").storage.facets.get("inner").storage.put("x", "inner");
      const bytes = new Uint8Array(readFileSync(join(nsDir(), `${hex}.facets`)));
      expect(Buffer.from(bytes).toString("hex")).toBe(Buffer.from(workedExampleBytes()).toString("hex"));
      // The spec's hex dump, line by line.
      expect(Buffer.from(bytes.subarray(0, 0x20)).toString("hex")).toBe("57efb0c55bcecdc400000500616c706861000004006265746100000300612f62");
      expect(Buffer.from(bytes.subarray(0x20, 0x2e)).toString("hex")).toBe("00000300610162000000016e6e6e");
      expect(bytes.length).toBe(0x134);
      expect(Buffer.from(bytes.subarray(0x12a)).toString("hex")).toBe(`6e01000500${Buffer.from("inner").toString("hex")}`);
      const sqlite = readdirSync(nsDir()).filter((name) => /^[0-9a-f]{64}\.\d+\.sqlite$/.test(name));
      expect(sqlite.sort()).toEqual([1, 2, 3, 4, 5, 6].map((n) => `${hex}.${n}.sqlite`).sort());
    });

    it.runIf(file)("keeps ids on reopen: the same name maps to the same n and file", async () => {
      let ns = await open();
      await root(ns).storage.facets.get("alpha").storage.put("x", 1);
      await root(ns).storage.facets.get("beta").storage.facets.get("deep").storage.put("x", 2);
      await ns.close();
      ns = await open();
      const { id, storage } = root(ns);
      expect(await storage.facets.get("beta").storage.facets.get("deep").storage.get("x")).toBe(2);
      expect(await storage.facets.get("alpha").storage.get("x")).toBe(1);
      await storage.facets.get("gamma").storage.put("x", 3);
      expect(existsSync(join(nsDir(), `${id}.4.sqlite`))).toBe(true);
      expect(readFileSync(join(nsDir(), `${id}.facets`)).length).toBe(8 + 9 + 8 + 8 + 9);
    });

    it.runIf(file)("truncates a partial tail on open", async () => {
      let ns = await open();
      const hex = root(ns).id.toString();
      await root(ns).storage.facets.get("alpha").storage.put("x", 1);
      await ns.close();
      const index = join(nsDir(), `${hex}.facets`);
      const good = statSync(index).size;
      appendFileSync(index, Uint8Array.of(0x00, 0x00, 0x09, 0x00, 0x62)); // a torn "b…" entry
      ns = await open();
      const { storage } = root(ns);
      expect(await storage.facets.get("alpha").storage.get("x")).toBe(1);
      expect(statSync(index).size).toBe(good);
      storage.facets.get("beta");
      expect(new Uint8Array(readFileSync(index)).subarray(good)).toEqual(Uint8Array.of(0, 0, 4, 0, ...Buffer.from("beta")));
    });

    it("delete removes the facet and its descendants; the name keeps its id", async () => {
      const ns = await open();
      const { id, storage } = root(ns);
      const a = storage.facets.get("a");
      await a.storage.put("x", 1);
      const b = a.storage.facets.get("b");
      await b.storage.put("x", 2);
      await storage.facets.get("keep").storage.put("x", 3);
      storage.facets.delete("a");
      await expect(a.storage.get("x")).rejects.toThrow(DURABLE_OBJECT_MESSAGES.facetDeleted);
      await expect(b.storage.get("x")).rejects.toThrow(DURABLE_OBJECT_MESSAGES.facetDeleted);
      if (file) {
        const files = readdirSync(nsDir());
        expect(files.filter((name) => name.startsWith(`${id}.1.`) || name.startsWith(`${id}.2.`))).toEqual([]);
      }
      const again = storage.facets.get("a");
      expect(await again.storage.get("x")).toBeUndefined();
      expect(await again.storage.facets.get("b").storage.get("x")).toBeUndefined();
      expect(await storage.facets.get("keep").storage.get("x")).toBe(3);
      storage.facets.delete("never-used");
    });

    it("abort keeps committed data and drops uncommitted writes", async () => {
      const ns = await open();
      const { storage } = root(ns);
      const f = storage.facets.get("f");
      await f.storage.put("x", 1);
      const child = f.storage.facets.get("child");
      await child.storage.put("y", 2);
      void f.storage.put("x", 99, { allowUnconfirmed: true });
      const reason = new Error("aborted by test");
      storage.facets.abort("f", reason);
      await expect(f.storage.get("x")).rejects.toBe(reason);
      await expect(child.storage.get("y")).rejects.toBe(reason);
      const restarted = storage.facets.get("f");
      expect(await restarted.storage.get("x")).toBe(1);
      expect(await restarted.storage.facets.get("child").storage.get("y")).toBe(2);
    });

    it("clone copies data and descendants into dst, replacing it", async () => {
      const ns = await open();
      const { storage } = root(ns);
      const src = storage.facets.get("src");
      await src.storage.put("k", "v");
      src.storage.sql.exec("CREATE TABLE t(id INTEGER PRIMARY KEY AUTOINCREMENT, x BLOB)");
      src.storage.sql.exec("INSERT INTO t(x) VALUES (?)", new Uint8Array([1, 2, 3]));
      src.storage.sql.exec("CREATE INDEX t_x ON t(x)");
      await src.storage.facets.get("kid").storage.put("k", "kid");
      const dst = storage.facets.get("dst");
      await dst.storage.put("old", true);
      await storage.facets.clone("src", "dst");
      await expect(dst.storage.get("old")).rejects.toThrow(DURABLE_OBJECT_MESSAGES.facetDeleted);
      const copy = storage.facets.get("dst");
      expect(await copy.storage.get("old")).toBeUndefined();
      expect(await copy.storage.get("k")).toBe("v");
      expect([...copy.storage.sql.exec("SELECT id, x FROM t").raw()]).toEqual([[1, new Uint8Array([1, 2, 3]).buffer]]);
      copy.storage.sql.exec("INSERT INTO t(x) VALUES (NULL)");
      expect(copy.storage.sql.exec("SELECT max(id) AS m FROM t").one().m).toBe(2);
      expect(await copy.storage.facets.get("kid").storage.get("k")).toBe("kid");
      // The source keeps running, and the copies are independent.
      await src.storage.put("k", "changed");
      expect(await copy.storage.get("k")).toBe("v");
    });

    it("the root's deleteAll deletes every facet", async () => {
      const ns = await open();
      const { id, storage } = root(ns);
      const f = storage.facets.get("f");
      await f.storage.put("x", 1);
      await f.storage.facets.get("g").storage.put("x", 2);
      await storage.put("r", 1);
      await storage.deleteAll();
      await expect(f.storage.get("x")).rejects.toThrow(DURABLE_OBJECT_MESSAGES.facetDeleted);
      if (file) expect(readdirSync(nsDir()).filter((name) => /\.\d+\.sqlite/.test(name))).toEqual([]);
      if (file) expect(existsSync(join(nsDir(), `${id}.facets`))).toBe(true);
      expect(await storage.get("r")).toBeUndefined();
      expect(await storage.facets.get("f").storage.get("x")).toBeUndefined();
      expect(await storage.facets.get("f").storage.facets.get("g").storage.get("x")).toBeUndefined();
    });

    it("the namespace's deleteAll removes facets and their index", async () => {
      const ns = await open();
      const { storage } = root(ns);
      const f = storage.facets.get("f");
      await f.storage.put("x", 1);
      await ns.deleteAll();
      await expect(f.storage.get("x")).rejects.toThrow(DURABLE_OBJECT_MESSAGES.deleteAllDurableObjects);
      if (file) expect(readdirSync(nsDir()).filter((name) => name !== "metadata.sqlite")).toEqual([]);
      expect(await root(ns).storage.facets.get("f").storage.get("x")).toBeUndefined();
    });

    it("enforces workerd's name rules and depth limit", async () => {
      const ns = await open();
      const { storage } = root(ns);
      expect(() => storage.facets.get("")).toThrow(new Error(DURABLE_OBJECT_MESSAGES.facetNameEmpty));
      expect(() => storage.facets.get("n".repeat(257))).toThrow(TypeError);
      expect(() => storage.facets.get("n".repeat(257))).toThrow(DURABLE_OBJECT_MESSAGES.facetNameTooLong);
      expect(() => storage.facets.get("é".repeat(129))).toThrow(DURABLE_OBJECT_MESSAGES.facetNameTooLong);
      expect(() => storage.facets.delete("")).toThrow(DURABLE_OBJECT_MESSAGES.facetNameEmpty);
      storage.facets.get("n".repeat(256));
      storage.facets.get("a/b\x00\x01");
      const depth2 = storage.facets.get("x").storage;
      const depth3 = depth2.facets.get("y").storage;
      const depth4 = depth3.facets.get("z").storage;
      await depth4.put("deep", 1);
      expect(() => depth4.facets.get("w")).toThrow(new Error(DURABLE_OBJECT_MESSAGES.facetDepth));
      await expect(depth4.facets.clone("a", "b")).rejects.toThrow(DURABLE_OBJECT_MESSAGES.facetDepth);
    });
  });
}
