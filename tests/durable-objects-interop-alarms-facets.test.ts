import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Miniflare } from "miniflare";
import { describe, expect, it } from "vitest";
import { createDurableObjectNamespace, FACETS_MAGIC, type CellarDurableObjectNamespace } from "@cellar/durable-objects";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";
import { withTempDir } from "./support/with-temp-dir.ts";

// INTEROP (slow): alarms and facets written here are read by the real `wrangler dev` runtime
// (Miniflare 4.20260426's workerd) and the reverse. An unnamed worker's class `Obj` is keyed
// `-Obj`, so objects live in `<persist>/-Obj/`. This workerd runs `ctx.facets` (get, abort,
// delete) without any flag; facet classes come from `ctx.exports`.
const script = `
import { DurableObject } from "cloudflare:workers";

// A facet: answers with what its storage holds, and reaches its own facets by path.
export class Child extends DurableObject {
  async fetch(request) {
    const url = new URL(request.url);
    const rest = url.searchParams.getAll("path");
    if (rest.length > 0) {
      const next = new URL(url);
      next.searchParams.delete("path");
      for (const name of rest.slice(1)) next.searchParams.append("path", name);
      return this.ctx.facets.get(rest[0], () => ({ class: this.ctx.exports.Child })).fetch(next);
    }
    if (url.searchParams.has("put")) await this.ctx.storage.put(url.searchParams.get("put"), url.searchParams.get("value"));
    return Response.json(Object.fromEntries(await this.ctx.storage.list()));
  }
}

export class Obj extends DurableObject {
  async fetch(request) {
    const url = new URL(request.url);
    const storage = this.ctx.storage;
    switch (url.pathname) {
      case "/get-alarm": return Response.json({ alarm: await storage.getAlarm(), fired: (await storage.get("fired")) ?? null });
      case "/set-alarm": await storage.setAlarm(Number(url.searchParams.get("at"))); return Response.json({ alarm: await storage.getAlarm() });
      case "/delete-facet": this.ctx.facets.delete(url.searchParams.get("name")); return new Response("deleted");
      case "/facet": {
        const [first, ...rest] = url.searchParams.getAll("path");
        const next = new URL("http://facet/");
        for (const name of rest) next.searchParams.append("path", name);
        for (const key of ["put", "value"]) if (url.searchParams.has(key)) next.searchParams.set(key, url.searchParams.get(key));
        return this.ctx.facets.get(first, () => ({ class: this.ctx.exports.Child })).fetch(next);
      }
    }
    return new Response("not found", { status: 404 });
  }
  async alarm() {
    await this.ctx.storage.put("fired", Date.now());
  }
}

export default {
  fetch(request, env) {
    const url = new URL(request.url);
    return env.O.get(env.O.idFromName(url.searchParams.get("object"))).fetch(request);
  },
};
`;

async function withMiniflare<T>(persist: string, run: (call: (path: string, params: [string, string][]) => Promise<any>) => Promise<T>): Promise<T> {
  const mf = new Miniflare({
    modules: true,
    script,
    compatibilityDate: "2026-04-01",
    durableObjects: { O: { className: "Obj", useSQLite: true } },
    durableObjectsPersist: persist,
  });
  try {
    return await run(async (path, params) => {
      const response = await mf.dispatchFetch(`http://localhost${path}?${new URLSearchParams(params)}`);
      if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return response.headers.get("content-type")?.includes("json") ? response.json() : response.text();
    });
  } finally {
    await mf.dispose();
  }
}

/** `_cf_ALARM` of the namespace's `metadata.sqlite`, read through a connection of its own (ns). */
function schedule(persist: string): Map<string, bigint> {
  const db = createSqliteEngine().open(join(persist, "-Obj", "metadata.sqlite"));
  try {
    const rows = db.prepare<{ actor_id: string; scheduled_time: bigint }>("SELECT actor_id, scheduled_time FROM _cf_ALARM").safeIntegers(true).all();
    return new Map(rows.map((row) => [row.actor_id, row.scheduled_time]));
  } finally {
    db.close();
  }
}

const openHere = (persist: string): CellarDurableObjectNamespace =>
  createDurableObjectNamespace({ uniqueKey: "-Obj", engine: createSqliteEngine(), directory: persist, onAlarm: () => undefined });

describe("durable objects interop with wrangler dev for alarms and facets (Miniflare 4 workerd)", () => {
  it("shares alarms both ways: workerd sees and fires an alarm set here; one set there is scheduled here", async () => {
    await withTempDir("cellar-do-interop-", async (persist) => {
      const here = openHere(persist);
      const later = Date.now() + 3_600_000;
      await here.get(here.idFromName("later")).storage.setAlarm(later);
      // Due a little after this namespace closes, so workerd (not this process) fires it.
      const soon = Date.now() + 1_500;
      await here.get(here.idFromName("soon")).storage.setAlarm(soon);
      await here.close();

      const theirs = Date.now() + 7_200_000;
      const seen = await withMiniflare(persist, async (call) => {
        const laterSeen = await call("/get-alarm", [["object", "later"]]);
        let soonSeen = await call("/get-alarm", [["object", "soon"]]);
        for (let waited = 0; soonSeen.fired === null && waited < 15_000; waited += 100) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          soonSeen = await call("/get-alarm", [["object", "soon"]]);
        }
        await call("/set-alarm", [["object", "theirs"], ["at", String(theirs)]]);
        return { laterSeen, soonSeen };
      });
      expect(seen.laterSeen).toEqual({ alarm: later, fired: null });
      // workerd ran its handler at (or after) the time set here, then cleared the alarm.
      expect(seen.soonSeen.alarm).toBeNull();
      expect(seen.soonSeen.fired).toBeGreaterThanOrEqual(soon);

      const again = openHere(persist);
      const rows = schedule(persist);
      expect(rows.get(again.idFromName("theirs").toString())).toBe(BigInt(theirs) * 1_000_000n);
      expect(rows.get(again.idFromName("later").toString())).toBe(BigInt(later) * 1_000_000n);
      expect(rows.has(again.idFromName("soon").toString())).toBe(false);
      expect(await again.get(again.idFromName("theirs")).storage.getAlarm()).toBe(theirs);
      expect(await again.get(again.idFromName("soon")).storage.getAlarm()).toBeNull();
      expect(await again.get(again.idFromName("soon")).storage.get("fired")).toBeGreaterThanOrEqual(soon);
      await again.close();
    });
  }, 60_000);

  it("shares facets both ways: one index, the same files, nested facets and deletes", async () => {
    await withTempDir("cellar-do-interop-", async (persist) => {
      const here = openHere(persist);
      const { id, storage } = here.get(here.idFromName("shared"));
      const alpha = storage.facets.get("alpha").storage;
      await alpha.put("from", "cellar alpha");
      await alpha.facets.get("inner").storage.put("from", "cellar inner");
      await storage.facets.get("gone").storage.put("from", "cellar gone");
      await here.close();

      const seen = await withMiniflare(persist, async (call) => {
        const object: [string, string] = ["object", "shared"];
        const read = (...path: string[]) => call("/facet", [object, ...path.map((name): [string, string] => ["path", name])]);
        const alphaSeen = await read("alpha");
        const innerSeen = await read("alpha", "inner");
        const goneSeen = await read("gone");
        await call("/facet", [object, ["path", "beta"], ["put", "from"], ["value", "workerd beta"]]);
        await call("/facet", [object, ["path", "beta"], ["path", "deep"], ["put", "from"], ["value", "workerd deep"]]);
        await call("/facet", [object, ["path", "alpha"], ["put", "also"], ["value", "workerd alpha"]]);
        await call("/delete-facet", [object, ["name", "gone"]]);
        return { alphaSeen, innerSeen, goneSeen };
      });
      expect(seen).toEqual({ alphaSeen: { from: "cellar alpha" }, innerSeen: { from: "cellar inner" }, goneSeen: { from: "cellar gone" } });

      // workerd appended its facets to the index this package started (beta = 4, deep = 5) and
      // deleted gone's file (3).
      const hex = id.toString();
      const files = readdirSync(join(persist, "-Obj"));
      expect(files.filter((file) => /^[0-9a-f]{64}\.\d+\.sqlite$/.test(file)).sort()).toEqual([1, 2, 4, 5].map((n) => `${hex}.${n}.sqlite`));
      const entry = (parent: number, name: string) => [parent, 0, name.length, 0, ...Buffer.from(name)];
      const index = [...FACETS_MAGIC, ...entry(0, "alpha"), ...entry(1, "inner"), ...entry(0, "gone"), ...entry(0, "beta"), ...entry(4, "deep")];
      expect([...readFileSync(join(persist, "-Obj", `${hex}.facets`))]).toEqual(index);
      const again = openHere(persist);
      const root = again.get(again.idFromName("shared")).storage;
      const beta = root.facets.get("beta").storage;
      expect(Object.fromEntries(await beta.list())).toEqual({ from: "workerd beta" });
      expect(Object.fromEntries(await beta.facets.get("deep").storage.list())).toEqual({ from: "workerd deep" });
      expect(Object.fromEntries(await root.facets.get("alpha").storage.list())).toEqual({ also: "workerd alpha", from: "cellar alpha" });
      expect(await root.facets.get("gone").storage.list()).toEqual(new Map());

      // And back: a facet this package deletes and one it writes after workerd's are seen there.
      root.facets.delete("beta");
      await root.facets.get("epsilon").storage.put("from", "cellar epsilon");
      await again.close();
      expect(existsSync(join(persist, "-Obj", `${hex}.5.sqlite`))).toBe(false);
      const last = await withMiniflare(persist, async (call) => ({
        beta: await call("/facet", [["object", "shared"], ["path", "beta"]]),
        deep: await call("/facet", [["object", "shared"], ["path", "beta"], ["path", "deep"]]),
        epsilon: await call("/facet", [["object", "shared"], ["path", "epsilon"]]),
      }));
      expect(last).toEqual({ beta: {}, deep: {}, epsilon: { from: "cellar epsilon" } });
    });
  }, 60_000);
});
