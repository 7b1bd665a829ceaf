import { appendFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDurableObjectNamespace, DURABLE_OBJECT_MESSAGES, FACETS_MAGIC, serializeValue, type CellarDurableObjectNamespace } from "@cellar/durable-objects";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";
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

    it.runIf(file)("refuses an index whose magic bytes are wrong, naming the file", async () => {
      let ns = await open();
      const hex = root(ns).id.toString();
      await ns.close();
      mkdirSync(nsDir(), { recursive: true });
      writeFileSync(join(nsDir(), `${hex}.facets`), Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 1, 0, 0x61));
      ns = await open();
      expect(() => root(ns).storage.facets.get("a")).toThrow(`${hex}.facets is not a Durable Object facets index`);
    });

    // A facet that wrangler dev wrote and that was killed before a checkpoint has its newest
    // data only in `-wal`: a clone must copy that too (native), or refuse to copy a partial file
    // (sql.js, which cannot read a WAL).
    it.runIf(file)("clone of a facet that is not running includes what a killed writer left in -wal", async () => {
      let ns = await open();
      const hex = root(ns).id.toString();
      await root(ns).storage.facets.get("src").storage.put("old", 1);
      await ns.close();
      const source = join(nsDir(), `${hex}.1.sqlite`);
      const writer = createSqliteEngine().open(source);
      writer.exec("PRAGMA wal_autocheckpoint = 0");
      writer.prepare("INSERT INTO _cf_KV (key, value) VALUES (?, ?)").run("in-wal", serializeValue("only in the WAL"));
      // Copies taken while the writer is open are what a SIGKILL leaves behind.
      const image = { main: readFileSync(source), wal: readFileSync(`${source}-wal`) };
      writer.close();
      writeFileSync(source, image.main);
      writeFileSync(`${source}-wal`, image.wal);
      expect(image.wal.length).toBeGreaterThan(0);

      ns = await open();
      const { storage } = root(ns);
      if (backend.engine === "wasm") {
        await expect(storage.facets.clone("src", "dst")).rejects.toMatchObject({ code: "ERR_SQL_WAL_PRESENT" });
        return;
      }
      await storage.facets.clone("src", "dst");
      const copy = storage.facets.get("dst").storage;
      expect(Object.fromEntries(await copy.list())).toEqual({ "in-wal": "only in the WAL", old: 1 });
      expect(await storage.facets.get("src").storage.get("in-wal")).toBe("only in the WAL");
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

  });
}
