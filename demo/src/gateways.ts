/**
 * The second half of the demo: every gateway on files and better-sqlite3, laid out exactly as
 * `wrangler dev` lays out `.wrangler/state/v3`, so the state written here is the state a Worker
 * sees under `wrangler dev --persist-to <root>`.
 */
import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { namespaceBlobDirectory } from "@cellar/blob-store";
import { createFsBlobStore } from "@cellar/blob-store-fs";
import { createCacheStorage } from "@cellar/cache";
import { createD1Database } from "@cellar/d1";
import { createDurableObjectNamespace } from "@cellar/durable-objects";
import { createKVNamespace } from "@cellar/kv";
import { objectDatabasePath, type ProductName, type SqlDatabase, type SqlEngine } from "@cellar/metadata-store";
import { createR2Bucket } from "@cellar/r2";

export async function runGateways(stateRoot: string, engine: SqlEngine): Promise<void> {
  const opened: SqlDatabase[] = [];
  /** The database and blob store of one product object, where wrangler dev keeps them. */
  const storesOf = async (product: ProductName, name: string) => {
    const location = objectDatabasePath(stateRoot, product, name);
    await mkdir(dirname(location), { recursive: true });
    const metadata = engine.open(location);
    opened.push(metadata);
    return { metadata, blobs: createFsBlobStore({ root: namespaceBlobDirectory(stateRoot, product, name) }) };
  };
  try {
    const kv = createKVNamespace({ ...(await storesOf("kv", "KV")), name: "KV" });
    await kv.put("greeting", "hello from cellar", { metadata: { lang: "en" } });
    const { value, metadata } = await kv.getWithMetadata("greeting");
    const keys = (await kv.list()).keys.map((key) => key.name);
    console.log(`✔ KV   env.KV.get("greeting") → ${JSON.stringify(value)} ${JSON.stringify(metadata)}; list → ${JSON.stringify(keys)}`);
    await kv.close();

    const bucket = createR2Bucket({ ...(await storesOf("r2", "BUCKET")), name: "BUCKET" });
    const put = await bucket.put("reports/2026.txt", "quarterly numbers: up and to the right", { httpMetadata: { contentType: "text/plain" } });
    const ranged = await bucket.get("reports/2026.txt", { range: { offset: 0, length: 17 } });
    console.log(`✔ R2   put etag ${put?.etag}; get range 0-16 → ${JSON.stringify(await ranged?.text())}`);
    await bucket.close();

    const db = createD1Database({ database: (await storesOf("d1", "DB")).metadata });
    await db.exec("CREATE TABLE IF NOT EXISTS visits (id INTEGER PRIMARY KEY, path TEXT NOT NULL)");
    const insert = await db.prepare("INSERT INTO visits (path) VALUES (?)").bind("/home").run();
    const count = await db.prepare("SELECT count(*) AS n FROM visits").first<number>("n");
    console.log(`✔ D1   insert → last_row_id ${insert.meta.last_row_id}; SELECT count(*) → ${count}`);

    const caches = createCacheStorage({ open: (name) => storesOf("cache", name) });
    await caches.default.put("https://example.com/hello", new Response("cached body", { headers: { "Cache-Control": "max-age=3600" } }));
    const hit = await caches.default.match("https://example.com/hello");
    console.log(`✔ Cache match → ${hit?.status} ${hit?.headers.get("CF-Cache-Status")} ${JSON.stringify(await hit?.text())}`);
    await caches.close();

    const objects = createDurableObjectNamespace({ uniqueKey: "-Counter", engine, directory: join(stateRoot, "do") });
    const counter = objects.get(objects.idFromName("demo"));
    const visits = ((await counter.storage.get<number>("visits")) ?? 0) + 1;
    await counter.storage.put("visits", visits);
    console.log(`✔ DO   Counter("demo").storage visits → ${visits} (file ${objects.idFromName("demo").toString().slice(0, 12)}….sqlite)`);
    await objects.close();
  } finally {
    for (const database of opened) if (database.open) database.close();
  }
}
