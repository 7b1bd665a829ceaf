import { createReadStream, createWriteStream, mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import Database from "better-sqlite3";
import { namespaceBlobDirectory } from "@cellar/blob-store";
import { createFsBlobStore } from "@cellar/blob-store-fs";
import { createCacheStorage, type CellarCacheStorage } from "@cellar/cache";
import { objectDatabasePath } from "@cellar/metadata-store";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";
import { race, reportComparison, reportFigure } from "./report.ts";
import { byteStream, drain, MiB } from "./sources.ts";

const SMALL = 10 * 1024;
const HEADERS = { "Cache-Control": "max-age=3600", "Content-Type": "application/octet-stream", ETag: '"bench"' };
const RAW_SCHEMA = "CREATE TABLE IF NOT EXISTS _mf_entries (key TEXT PRIMARY KEY, blob_id TEXT NOT NULL, expiration INTEGER, metadata TEXT)";

/**
 * The Cache API on fs blobs + better-sqlite3 files, laid out as `wrangler dev` lays them out:
 * sequential `put` (overwriting: the replaced body is deleted) and `match` (body read) of 10 KiB
 * responses against the raw limit of the same work done by hand (a file write, a row upsert in a
 * transaction, WAL, synchronous=NORMAL, the replaced file unlinked; a row read and a file read), then a ranged `match` of a 256 MiB body against raw `fs`
 * reading the same range, and the peak RSS growth while a 256 MiB body goes in and out.
 */
export async function benchCache(count = 2000, rounds = 3, largeMiB = 256): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "cellar-bench-cache-"));
  try {
    const body = new Uint8Array(randomBytes(SMALL));
    const caches = openCaches(join(dir, "state"));
    const cache = caches.default;
    const urls = Array.from({ length: count }, (_, index) => `https://bench.test/assets/${index}.bin`);

    const raw = openRaw(join(dir, "raw"));
    const puts = await race(
      rounds,
      async () => {
        for (const url of urls) await cache.put(url, new Response(body, { headers: HEADERS }));
      },
      () => {
        for (const url of urls) raw.put(url, body);
      },
    );
    reportComparison({ name: "cache put 10 KiB (fs + better-sqlite3 file)", unit: "ops/s", ours: ops(count, puts.ours), raw: ops(count, puts.raw), rawLabel: "raw fs+b-s3" });
    const matches = await race(
      rounds,
      async () => {
        for (const url of urls) if ((await (await cache.match(url))!.arrayBuffer()).byteLength !== SMALL) throw new Error("bad match");
      },
      () => {
        for (const url of urls) if (raw.get(url).byteLength !== SMALL) throw new Error("bad raw read");
      },
    );
    reportComparison({ name: "cache match 10 KiB (fs + better-sqlite3 file)", unit: "ops/s", ours: ops(count, matches.ours), raw: ops(count, matches.raw), rawLabel: "raw fs+b-s3" });
    const misses = await race(
      rounds,
      async () => {
        for (const url of urls) if ((await cache.match(`${url}?miss`)) !== undefined) throw new Error("unexpected hit");
      },
      () => {
        for (const url of urls) if (raw.select.get(`${url}?miss`) !== undefined) throw new Error("unexpected raw hit");
      },
    );
    reportComparison({ name: "cache match miss (fs + better-sqlite3 file)", unit: "ops/s", ours: ops(count, misses.ours), raw: ops(count, misses.raw), rawLabel: "raw SELECT" });
    raw.close();

    await benchLarge(caches, join(dir, "raw-large.bin"), largeMiB, rounds);
    await caches.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Ranged match of a `sizeMiB` body vs raw `fs` reading the same bytes; peak RSS while it goes in and out. */
async function benchLarge(caches: CellarCacheStorage, rawPath: string, sizeMiB: number, rounds: number): Promise<void> {
  const size = sizeMiB * MiB;
  const url = "https://bench.test/large.bin";
  const rss = sampleRss();
  await caches.default.put(url, new Response(byteStream(size), { headers: HEADERS }));
  const writePeak = rss.stop();
  await pipeline(Readable.fromWeb(byteStream(size) as never), createWriteStream(rawPath));

  const start = MiB;
  const end = size - 1;
  const rangeMiB = (end - start + 1) / MiB;
  const readRss = sampleRss();
  const ranged = await race(
    rounds,
    async () => {
      const hit = await caches.default.match(new Request(url, { headers: { Range: `bytes=${start}-` } }));
      if ((await drain(hit!.body!)) !== end - start + 1) throw new Error("short ranged match");
    },
    async () => {
      let bytes = 0;
      for await (const chunk of createReadStream(rawPath, { start, end, highWaterMark: MiB })) bytes += (chunk as Buffer).byteLength;
      if (bytes !== end - start + 1) throw new Error("short raw read");
    },
  );
  const readPeak = readRss.stop();
  reportComparison({ name: `cache ranged match ${rangeMiB} of ${sizeMiB} MiB`, unit: "MiB/s", ours: rangeMiB / (ranged.ours / 1000), raw: rangeMiB / (ranged.raw / 1000), rawLabel: "raw fs" });

  const half = size / 2;
  const multipart = await race(
    rounds,
    async () => {
      const hit = await caches.default.match(new Request(url, { headers: { Range: `bytes=0-${half - 1},${half}-` } }));
      if ((await drain(hit!.body!)) < size) throw new Error("short multipart match");
    },
    async () => {
      let bytes = 0;
      for (const [from, to] of [[0, half - 1], [half, size - 1]] as const) {
        for await (const chunk of createReadStream(rawPath, { start: from, end: to, highWaterMark: MiB })) bytes += (chunk as Buffer).byteLength;
      }
      if (bytes !== size) throw new Error("short raw read");
    },
  );
  reportComparison({ name: `cache multipart match 2 x ${sizeMiB / 2} MiB`, unit: "MiB/s", ours: sizeMiB / (multipart.ours / 1000), raw: sizeMiB / (multipart.raw / 1000), rawLabel: "raw fs" });
  reportFigure({ name: `peak RSS growth, cache put ${sizeMiB} MiB`, value: `${(writePeak / MiB).toFixed(1)} MiB` });
  reportFigure({ name: `peak RSS growth, cache ranged matches`, value: `${(readPeak / MiB).toFixed(1)} MiB` });
}

/** A cache storage under `root` in the `wrangler dev` layout (`cache/miniflare-CacheObject/...`). */
function openCaches(root: string): CellarCacheStorage {
  const engine = createSqliteEngine();
  return createCacheStorage({
    open(name) {
      const path = objectDatabasePath(root, "cache", name);
      mkdirSync(dirname(path), { recursive: true });
      return { metadata: engine.open(path), blobs: createFsBlobStore({ root: namespaceBlobDirectory(root, "cache", name) }) };
    },
  });
}

/**
 * The same work by hand: a file per body and a row per entry, one transaction per put that reads
 * the replaced file's name, and that file unlinked after the commit.
 */
function openRaw(dir: string) {
  mkdirSync(join(dir, "blobs"), { recursive: true });
  const db = new Database(join(dir, "raw.sqlite"));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.exec(RAW_SCHEMA);
  const upsert = db.prepare("INSERT OR REPLACE INTO _mf_entries (key, blob_id, expiration, metadata) VALUES (?, ?, ?, ?)");
  const select = db.prepare<[string], { blob_id: string; metadata: string }>("SELECT blob_id, metadata FROM _mf_entries WHERE key = ?");
  const blobIdOf = db.prepare<[string], string>("SELECT blob_id FROM _mf_entries WHERE key = ?").pluck();
  const metadata = JSON.stringify({ headers: Object.entries(HEADERS), status: 200, size: SMALL });
  const putRow = db.transaction((key: string, blobId: string): string | undefined => {
    const replaced = blobIdOf.get(key);
    upsert.run(key, blobId, Date.now() + 3_600_000, metadata);
    return replaced;
  });
  let next = 0;
  return {
    select,
    put(key: string, bytes: Uint8Array): void {
      const blobId = `blob-${next++}`;
      writeFileSync(join(dir, "blobs", blobId), bytes);
      const replaced = putRow.immediate(key, blobId);
      if (replaced !== undefined) unlinkSync(join(dir, "blobs", replaced));
    },
    get(key: string): Uint8Array {
      const row = select.get(key)!;
      JSON.parse(row.metadata);
      return readFileSync(join(dir, "blobs", row.blob_id));
    },
    close: () => db.close(),
  };
}

/** Samples RSS every 5 ms; `stop()` returns the peak growth over the starting RSS. */
function sampleRss(): { stop(): number } {
  globalThis.gc?.();
  const base = process.memoryUsage.rss();
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage.rss()) - base;
    },
  };
}

function ops(count: number, ms: number): number {
  return count / (ms / 1000);
}
