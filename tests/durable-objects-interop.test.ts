import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Miniflare } from "miniflare";
import { describe, expect, it } from "vitest";
import { createDurableObjectNamespace } from "@cellar/durable-objects";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";

// INTEROP (slow, ~5 s): the real `wrangler dev` runtime (Miniflare 4's workerd) reads a storage
// file written here, and this package reads one workerd wrote, byte for byte. Miniflare keys an
// unnamed worker's class `Obj` as `-Obj`, so objects live in `<persist>/-Obj/<id>.sqlite`.
const script = `
export class Obj {
  constructor(state) { this.state = state; }
  async fetch(request) {
    const storage = this.state.storage;
    if (new URL(request.url).pathname === "/write") {
      await storage.put({ w_text: "from workerd", w_bytes: new Uint8Array([9, 8, 7]), w_date: new Date(7), w_map: new Map([["k", [1, 2]]]) });
      storage.sql.exec("INSERT INTO notes VALUES ('workerd note')");
      return new Response("ok");
    }
    const values = Object.fromEntries(await storage.list());
    const describe = (v) => v instanceof Uint8Array ? { u8: [...v] } : v instanceof Date ? { date: v.getTime() } : v instanceof Map ? { map: [...v] } : v;
    return Response.json({
      values: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, describe(v)])),
      sync: storage.kv.get("c_sync"),
      notes: storage.sql.exec("SELECT body FROM notes").toArray(),
    });
  }
}
export default { fetch(request, env) { return env.O.get(env.O.idFromName("shared")).fetch(request); } };
`;

async function withMiniflare<T>(persist: string, run: (mf: Miniflare) => Promise<T>): Promise<T> {
  const mf = new Miniflare({ modules: true, script, compatibilityDate: "2025-01-01", durableObjects: { O: { className: "Obj", useSQLite: true } }, durableObjectsPersist: persist });
  try {
    return await run(mf);
  } finally {
    await mf.dispose();
  }
}

describe("durable objects interop with wrangler dev (Miniflare 4 workerd)", () => {
  it("shares storage files both ways, with the same ids, keys, values and SQL tables", async () => {
    const persist = await mkdtemp(join(tmpdir(), "cellar-do-interop-"));
    try {
      const engine = createSqliteEngine();
      const ours = createDurableObjectNamespace({ uniqueKey: "-Obj", engine, directory: persist });
      const storage = ours.get(ours.idFromName("shared")).storage;
      await storage.put({ c_text: "from cellar", c_bytes: new Uint8Array([1, 2, 3]), c_date: new Date(5), c_map: new Map([["a", { b: 1 }]]) });
      storage.kv.put("c_sync", 42);
      storage.sql.exec("CREATE TABLE notes (body TEXT)");
      storage.sql.exec("INSERT INTO notes VALUES ('cellar note')");
      await ours.close();

      const read = await withMiniflare(persist, async (mf) => {
        const seen = await (await mf.dispatchFetch("http://localhost/read")).json();
        await (await mf.dispatchFetch("http://localhost/write")).text();
        return seen;
      });
      expect(read).toEqual({
        values: { c_bytes: { u8: [1, 2, 3] }, c_date: { date: 5 }, c_map: { map: [["a", { b: 1 }]] }, c_sync: 42, c_text: "from cellar" },
        sync: 42,
        notes: [{ body: "cellar note" }],
      });

      const again = createDurableObjectNamespace({ uniqueKey: "-Obj", engine, directory: persist });
      const reopened = again.get(again.idFromName("shared")).storage;
      expect(await reopened.get("w_text")).toBe("from workerd");
      expect(await reopened.get("w_bytes")).toEqual(new Uint8Array([9, 8, 7]));
      expect(await reopened.get("w_date")).toEqual(new Date(7));
      expect(await reopened.get("w_map")).toEqual(new Map([["k", [1, 2]]]));
      expect(reopened.sql.exec("SELECT body FROM notes").toArray()).toEqual([{ body: "cellar note" }, { body: "workerd note" }]);

      // Byte compatibility: the same value serialized by workerd and by cellar is the same bytes.
      await reopened.put({ c_same_bytes: new Uint8Array([9, 8, 7]), c_same_text: "from workerd", c_same_date: new Date(7) });
      await reopened.sync();
      const raw = engine.open(join(persist, "-Obj", `${again.idFromName("shared").toString()}.sqlite`));
      const bytes = (key: string) => [...(raw.prepare<{ value: Uint8Array }>("SELECT value FROM _cf_KV WHERE key = ?").get(key)?.value ?? [])];
      expect(bytes("c_same_bytes")).toEqual(bytes("w_bytes"));
      expect(bytes("c_same_text")).toEqual(bytes("w_text"));
      expect(bytes("c_same_date")).toEqual(bytes("w_date"));
      expect(bytes("w_text").slice(0, 2)).toEqual([0xff, 0x0f]);
      raw.close();
      await again.close();
    } finally {
      await rm(persist, { recursive: true, force: true });
    }
  }, 30_000);
});
