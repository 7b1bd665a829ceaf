import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { namespaceBlobDirectory } from "@cellar/blob-store";
import { createFsBlobStore } from "@cellar/blob-store-fs";
import { createCacheStorage, type CellarCacheStorage } from "@cellar/cache";
import { objectDatabasePath, type SqlEngine } from "@cellar/metadata-store";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";
import { fresh } from "./support/cache-wrappers.ts";
import { testClock } from "./support/instrumented-stores.ts";

const DEFAULT_ID = "9f458c07675338a7426a7b81ac4fb1baf92d034efbcaaf4336379640ed744ded";
const MYCACHE_ID = "3607e28c17230ab812f18ebcf6dd348786766b3abe14149af03069a574fb33ab";
const URL_A = "https://cache.test/a";

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "cellar-cache-layout-"));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A cache storage over `root` laid out exactly as `wrangler dev` lays out `.wrangler/state/v3`. */
function openWranglerLayout(engine: SqlEngine, clock = testClock()): CellarCacheStorage {
  return createCacheStorage({
    clock,
    open(name) {
      const path = objectDatabasePath(root, "cache", name);
      mkdirSync(dirname(path), { recursive: true });
      return { metadata: engine.open(path), blobs: createFsBlobStore({ root: namespaceBlobDirectory(root, "cache", name), clock }) };
    },
  });
}

describe("cache on-disk layout (wrangler dev)", () => {
  it("writes cache/miniflare-CacheObject/<idFromName>.sqlite and cache/<sanitisePath(name)>/blobs", async () => {
    const engine = createSqliteEngine();
    const caches = openWranglerLayout(engine);
    await caches.default.put(URL_A, fresh("default body"));
    await (await caches.open("mycache")).put(URL_A, fresh("named body"));
    await caches.close();
    expect(readdirSync(join(root, "cache", "miniflare-CacheObject")).filter((name) => name.endsWith(".sqlite")).sort()).toEqual(
      [`${MYCACHE_ID}.sqlite`, `${DEFAULT_ID}.sqlite`].sort(),
    );
    const defaultBlobs = readdirSync(join(root, "cache", "default", "blobs"));
    expect(defaultBlobs).toHaveLength(1);
    // A Miniflare id (64 random + 16 time hex digits), then the readable URL.
    expect(defaultBlobs[0]).toMatch(/^[0-9a-f]{80}-https_058_047_047cache\.test_047a$/);
    expect(readdirSync(join(root, "cache", "named_mycache", "blobs"))).toHaveLength(1);
  });

  it("creates only Miniflare's table and index, in WAL mode (L1, L2)", async () => {
    const engine = createSqliteEngine();
    const caches = openWranglerLayout(engine);
    await caches.default.put(URL_A, fresh("x"));
    await caches.close();
    const db = engine.open(objectDatabasePath(root, "cache", "default"));
    try {
      const objects = db.prepare<{ type: string; name: string }>("SELECT type, name FROM sqlite_master ORDER BY name").all();
      expect(objects).toEqual([
        { type: "table", name: "_mf_entries" },
        { type: "index", name: "_mf_entries_expiration_idx" },
        { type: "index", name: "sqlite_autoindex__mf_entries_1" },
      ]);
      const columns = db.prepare<{ name: string; type: string; notnull: number; pk: number }>("SELECT name, type, \"notnull\", pk FROM pragma_table_info('_mf_entries')").all();
      expect(columns).toEqual([
        { name: "key", type: "TEXT", notnull: 0, pk: 1 },
        { name: "blob_id", type: "TEXT", notnull: 1, pk: 0 },
        { name: "expiration", type: "INTEGER", notnull: 0, pk: 0 },
        { name: "metadata", type: "TEXT", notnull: 0, pk: 0 },
      ]);
      expect(db.prepare<{ journal_mode: string }>("PRAGMA journal_mode").get()?.journal_mode).toBe("wal");
    } finally {
      db.close();
    }
  });

  it("serves an entry Miniflare wrote: its blob id, metadata and fractional expiration", async () => {
    const engine = createSqliteEngine();
    const clock = testClock();
    const start = clock.now();
    const path = objectDatabasePath(root, "cache", "default");
    mkdirSync(dirname(path), { recursive: true });
    const blobDirectory = namespaceBlobDirectory(root, "cache", "default");
    mkdirSync(blobDirectory, { recursive: true });
    const blobId = "c58a2a9b2c655341d6a56d22a7d165b48adbff914f9102f75588039999eb47c1000001a2006a50ed";
    writeFileSync(join(blobDirectory, blobId), "written by miniflare");
    const seed = engine.open(path);
    seed.exec(`CREATE TABLE IF NOT EXISTS _mf_entries (key TEXT PRIMARY KEY, blob_id TEXT NOT NULL, expiration INTEGER, metadata TEXT);
      CREATE INDEX IF NOT EXISTS _mf_entries_expiration_idx ON _mf_entries(expiration);`);
    const metadata = { headers: [["cache-control", "max-age=1.5"], ["etag", '"mf"'], ["age", "0"], ["date", new Date(start).toUTCString()]], status: 200, size: 20 };
    seed.prepare("INSERT INTO _mf_entries (key, blob_id, expiration, metadata) VALUES (?, ?, ?, ?)").run(URL_A, blobId, start + 1500.5, JSON.stringify(metadata));
    seed.close();

    const caches = openWranglerLayout(engine, clock);
    const hit = await caches.default.match(URL_A);
    expect(hit?.headers.get("ETag")).toBe('"mf"');
    expect(await hit?.text()).toBe("written by miniflare");
    const ranged = await caches.default.match(new Request(URL_A, { headers: { Range: "bytes=0-6" } }));
    expect(await ranged?.text()).toBe("written");
    clock.set(start + 1500);
    expect(await caches.default.match(URL_A)).toBeDefined();
    clock.set(start + 1500.5);
    expect(await caches.default.match(URL_A)).toBeUndefined();
    await caches.close();
    expect(readdirSync(blobDirectory)).toEqual([]);
  });
});

describe("cache with several connections on one persist root (C6)", () => {
  it("shares entries between two storages and never loses a write", async () => {
    const first = openWranglerLayout(createSqliteEngine());
    const second = openWranglerLayout(createSqliteEngine());
    await Promise.all(
      Array.from({ length: 40 }, (_, index) => (index % 2 === 0 ? first : second).default.put(`https://cache.test/${index}`, fresh(`v${index}`))),
    );
    const bodies = await Promise.all(Array.from({ length: 40 }, async (_, index) => (await (index % 2 === 0 ? second : first).default.match(`https://cache.test/${index}`))?.text()));
    expect(bodies).toEqual(Array.from({ length: 40 }, (_, index) => `v${index}`));
    await first.close();
    await second.close();
  });

  it("fails a put with a clear busy error naming the file when the lock stays taken, leaving no blob", async () => {
    const engine = createSqliteEngine({ busyTimeoutMs: 50 });
    const caches = openWranglerLayout(engine);
    await caches.default.put(URL_A, fresh("first"));
    const path = objectDatabasePath(root, "cache", "default");
    const holder = createSqliteEngine().open(path);
    holder.exec("BEGIN IMMEDIATE");
    try {
      const error = await caches.default.put(URL_A, fresh("second")).then(() => undefined, (reason: unknown) => reason);
      expect(error).toMatchObject({ code: "ERR_SQL_BUSY" });
      expect((error as Error).message).toContain(DEFAULT_ID);
    } finally {
      holder.exec("ROLLBACK");
      holder.close();
    }
    await caches.default.idle();
    expect(readdirSync(namespaceBlobDirectory(root, "cache", "default"))).toHaveLength(1);
    expect(await (await caches.default.match(URL_A))?.text()).toBe("first");
    await caches.default.put(URL_A, fresh("third"));
    expect(await (await caches.default.match(URL_A))?.text()).toBe("third");
    await caches.close();
  });
});
