import { spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Miniflare } from "miniflare";
import { describe, expect, it } from "vitest";
import { openState } from "cellar";
import { objectDatabasePath } from "@cellar/metadata-store";

// INTEROP (~5 s): the real `wrangler dev` runtime (Miniflare 4's workerd) and `openState` share one
// persist root both ways: KV, R2, D1 and Durable Objects written by either are read by the other.
// Miniflare names the namespace, bucket and database after their bindings when no ids are given,
// and keys the unnamed worker's class \`Counter\` as \`-Counter\`.
const script = `
export class Counter {
  constructor(state) { this.storage = state.storage; }
  async fetch(request) {
    if (new URL(request.url).pathname === "/write") await this.storage.put("from-miniflare", "do by workerd");
    return Response.json(Object.fromEntries(await this.storage.list()));
  }
}

export default {
  async fetch(request, env) {
    if (new URL(request.url).pathname === "/write") {
      await env.KV.put("from-miniflare", "kv by workerd", { metadata: { by: "workerd" } });
      await env.BUCKET.put("miniflare/object.txt", "r2 by workerd", { httpMetadata: { contentType: "text/plain" } });
      await env.DB.exec("CREATE TABLE IF NOT EXISTS notes (body TEXT)");
      await env.DB.prepare("INSERT INTO notes VALUES (?)").bind("d1 by workerd").run();
      await env.COUNTER.get(env.COUNTER.idFromName("shared")).fetch("http://do/write");
      return new Response("ok");
    }
    const kv = await env.KV.getWithMetadata("from-cellar");
    const object = await env.BUCKET.get("cellar/object.txt");
    const notes = await env.DB.prepare("SELECT body FROM notes ORDER BY rowid").all();
    const listed = await env.KV.list();
    return Response.json({
      kv: kv.value, kvMetadata: kv.metadata, keys: listed.keys.map((key) => key.name),
      r2: object && (await object.text()), contentType: object && object.httpMetadata.contentType,
      notes: notes.results.map((row) => row.body),
      durableObject: await (await env.COUNTER.get(env.COUNTER.idFromName("shared")).fetch("http://do/read")).json(),
    });
  },
};
`;

function createMiniflare(root: string): Miniflare {
  return new Miniflare({
    modules: true,
    script,
    compatibilityDate: "2025-01-01",
    kvNamespaces: ["KV"],
    r2Buckets: ["BUCKET"],
    d1Databases: ["DB"],
    durableObjects: { COUNTER: { className: "Counter", useSQLite: true } },
    defaultPersistRoot: root,
  });
}

describe("openState on a wrangler dev state directory (Miniflare 4)", () => {
  it("reads what Miniflare wrote, and Miniflare reads what openState wrote", async () => {
    const root = await mkdtemp(join(tmpdir(), "cellar-wrangler-state-"));
    try {
      const first = createMiniflare(root);
      try {
        expect(await (await first.dispatchFetch("http://localhost/write")).text()).toBe("ok");
      } finally {
        await first.dispose();
      }

      const state = await openState({ root });
      const kv = await state.kv("KV").getWithMetadata("from-miniflare");
      expect(kv).toMatchObject({ value: "kv by workerd", metadata: { by: "workerd" } });
      const object = await state.r2("BUCKET").get("miniflare/object.txt");
      expect(await object?.text()).toBe("r2 by workerd");
      expect(object?.httpMetadata?.contentType).toBe("text/plain");
      expect((await state.d1("DB").prepare("SELECT body FROM notes").all()).results).toEqual([{ body: "d1 by workerd" }]);
      const counters = state.durableObjects("-Counter");
      const counter = counters.get(counters.idFromName("shared")).storage;
      expect(await counter.get("from-miniflare")).toBe("do by workerd");

      await state.kv("KV").put("from-cellar", "kv by cellar", { metadata: { by: "cellar" } });
      await state.r2("BUCKET").put("cellar/object.txt", "r2 by cellar", { httpMetadata: { contentType: "text/markdown" } });
      await state.d1("DB").prepare("INSERT INTO notes VALUES (?)").bind("d1 by cellar").run();
      await counter.put("from-cellar", "do by cellar");
      // Both namespaces map back to their names from their blob directories; nothing is orphaned.
      const report = await state.gc();
      expect(report.namespaces.map(({ product, name, skipped }) => ({ product, name, skipped }))).toEqual([
        { product: "kv", name: "KV", skipped: undefined },
        { product: "r2", name: "BUCKET", skipped: undefined },
      ]);
      expect(report.total.orphanBlobs).toBe(0);
      await state.close();

      const second = createMiniflare(root);
      try {
        expect(await (await second.dispatchFetch("http://localhost/read")).json()).toEqual({
          kv: "kv by cellar",
          kvMetadata: { by: "cellar" },
          keys: ["from-cellar", "from-miniflare"],
          r2: "r2 by cellar",
          contentType: "text/markdown",
          notes: ["d1 by workerd", "d1 by cellar"],
          durableObject: { "from-cellar": "do by cellar", "from-miniflare": "do by workerd" },
        });

        // While workerd holds the files open, openState warns, naming the file.
        const warnings: string[] = [];
        const shared = await openState({ root, logger: { warn: (message) => warnings.push(message) } });
        expect(await shared.kv("KV").get("from-miniflare")).toBe("kv by workerd");
        await shared.close();
        expect(warnings).toEqual([expect.stringContaining(`${objectDatabasePath(root, "kv", "KV")} is open in another process`)]);
      } finally {
        await second.dispose();
      }

      // The CLI sees the same state.
      const cli = spawnSync(
        process.execPath,
        ["--import", "tsx", "--conditions=@cellar/source", join(import.meta.dirname, "../packages/cellar/src/cli.ts"), "--root", root, "--json", "kv", "list", "--namespace", "KV"],
        { encoding: "utf8", cwd: join(import.meta.dirname, "..") },
      );
      expect(cli.status).toBe(0);
      expect(JSON.parse(cli.stdout)).toEqual([{ name: "from-cellar", metadata: { by: "cellar" } }, { name: "from-miniflare", metadata: { by: "workerd" } }]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
