import { randomBytes } from "node:crypto";
import { closeSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { createFsBlobStore } from "@cellar/blob-store-fs";
import { createMemoryBlobStore } from "@cellar/blob-store-memory";
import { createKVNamespace, encodeCursor, type CellarKVNamespace } from "@cellar/kv";
import type { SqlDatabase } from "@cellar/metadata-store";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";
import { createWasmEngine } from "@cellar/metadata-store-wasm";
import { bestOf, race, reportComparison, reportFigure } from "./report.ts";

const RAW_SCHEMA = "CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value BLOB NOT NULL, expiration INTEGER, metadata TEXT)";
const LIST_SIZE = 100_000;
const PAGE = 1000;

/**
 * KV on fs blobs + better-sqlite3 files, against the raw limit of a better-sqlite3 table of the
 * same shape holding the value inline (one transaction per put, WAL, synchronous=NORMAL):
 * sequential put and get of 100-byte values, then `list` of a 1000-key page from a
 * 100,000-key namespace against the equivalent indexed SELECT. Then the same on the wasm
 * engine and on memory, for the record.
 */
export async function benchKV(count = 2000, rounds = 3): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "cellar-bench-kv-"));
  try {
    const value = "v".repeat(100);
    const raw = new Database(join(dir, "raw.sqlite"));
    raw.pragma("journal_mode = WAL");
    raw.pragma("synchronous = NORMAL");
    raw.exec(RAW_SCHEMA);
    const rawInsert = raw.prepare("INSERT OR REPLACE INTO entries (key, value, expiration, metadata) VALUES (?, ?, NULL, NULL)");
    const rawPutOne = raw.transaction((key: string, bytes: Uint8Array) => rawInsert.run(key, bytes));
    const rawSelect = raw.prepare("SELECT value FROM entries WHERE key = ?").pluck();
    const encoder = new TextEncoder();
    const decoder = new TextDecoder();
    const rawPutAll = (): void => {
      for (let i = 0; i < count; i++) rawPutOne.immediate(`key-${i}`, encoder.encode(value));
    };
    const rawGetAll = (): void => {
      for (let i = 0; i < count; i++) if (decoder.decode(rawSelect.get(`key-${i}`) as Uint8Array).length !== 100) throw new Error("bad raw read");
    };

    const native = createSqliteEngine();
    const fsNative = await openFsNamespace(dir, "fs-native", (path) => native.open(path));
    const puts = await race(rounds, () => putAll(fsNative.kv, count, value), rawPutAll);
    reportComparison({ name: "kv put 100 B (fs + better-sqlite3 file)", unit: "ops/s", ours: ops(count, puts.ours), raw: ops(count, puts.raw), rawLabel: "raw b-s3", target: 0.5 });
    const gets = await race(rounds, () => getAll(fsNative.kv, count), rawGetAll);
    reportComparison({ name: "kv get 100 B (fs + better-sqlite3 file)", unit: "ops/s", ours: ops(count, gets.ours), raw: ops(count, gets.raw), rawLabel: "raw b-s3", target: 0.5 });

    // The floor of a file-per-value layout, done raw and synchronously: write and rename a new
    // file, swap the row in one transaction, unlink the old file.
    const floor = rawFilePerValue(dir, raw, count);
    const floorPuts = await race(rounds, () => putAll(fsNative.kv, count, value), floor);
    reportComparison({ name: "kv put 100 B vs raw file + row (fs + b-s3)", unit: "ops/s", ours: ops(count, floorPuts.ours), raw: ops(count, floorPuts.raw), rawLabel: "raw f+row" });

    const parallel = await race(rounds, () => putAllConcurrently(fsNative.kv, count, value, 64), rawPutAll);
    reportComparison({ name: "kv put 100 B, 64 in flight (fs + b-s3)", unit: "ops/s", ours: ops(count, parallel.ours), raw: ops(count, parallel.raw), rawLabel: "raw b-s3" });
    const uncached = await openFsNamespace(dir, "fs-native-uncached", (path) => native.open(path), 0);
    await putAll(uncached.kv, count, value);
    const coldGets = await race(rounds, () => getAll(uncached.kv, count), rawGetAll);
    reportComparison({ name: "kv get 100 B, valueCacheSize 0 (fs + b-s3)", unit: "ops/s", ours: ops(count, coldGets.ours), raw: ops(count, coldGets.raw), rawLabel: "raw b-s3" });
    uncached.close();

    // list: rows are seeded straight into `_mf_entries` (list reads no blobs), 100,000 of them.
    seedEntries(fsNative.db, LIST_SIZE);
    raw.exec("DELETE FROM entries");
    raw.transaction(() => {
      for (let i = 0; i < LIST_SIZE; i++) rawInsert.run(listKey(i), encoder.encode(value));
    })();
    const rawPage = raw.prepare("SELECT key, expiration, metadata FROM entries WHERE key > ? ORDER BY key LIMIT ?").raw();
    const middle = listKey(LIST_SIZE / 2);
    const lists = await race(
      rounds * 5,
      async () => {
        const page = await fsNative.kv.list({ limit: PAGE, cursor: encodeCursor(middle) });
        if (page.keys.length !== PAGE) throw new Error("short page");
      },
      () => {
        if (rawPage.all(middle, PAGE + 1).length !== PAGE + 1) throw new Error("short raw page");
      },
    );
    reportComparison({ name: "kv list 1000 of 100k (fs + b-s3)", unit: "ops/s", ours: 1000 / lists.ours, raw: 1000 / lists.raw, rawLabel: "raw SELECT" });
    reportFigure({ name: "kv list 1000 of 100k (fs + b-s3)", value: `${lists.ours.toFixed(2)} ms`, note: `raw indexed SELECT ${lists.raw.toFixed(2)} ms` });
    const prefixed = await bestOf(rounds * 5, async () => {
      const page = await fsNative.kv.list({ prefix: "key-05", limit: PAGE });
      if (page.keys.length !== PAGE) throw new Error("short page");
    });
    reportFigure({ name: "kv list 1000, prefix, of 100k (fs + b-s3)", value: `${prefixed.toFixed(2)} ms` });
    fsNative.close();
    raw.close();

    const wasm = await createWasmEngine();
    const fsWasm = await openFsNamespace(dir, "fs-wasm", (path) => wasm.open(path));
    await reportNamespace("fs + sql.js file", fsWasm, Math.min(count, 500), value);
    fsWasm.close();
    const memoryDb = native.open(":memory:");
    const memory = { kv: createKVNamespace({ metadata: memoryDb, blobs: createMemoryBlobStore() }), db: memoryDb, close: () => memoryDb.close() };
    await reportNamespace("memory + better-sqlite3 :memory:", memory, count, value);
    memory.close();
    const wasmMemoryDb = wasm.open(":memory:");
    const wasmMemory = { kv: createKVNamespace({ metadata: wasmMemoryDb, blobs: createMemoryBlobStore() }), db: wasmMemoryDb, close: () => wasmMemoryDb.close() };
    await reportNamespace("memory + sql.js :memory:", wasmMemory, count, value);
    wasmMemory.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface BenchNamespace {
  readonly kv: CellarKVNamespace;
  readonly db: SqlDatabase;
  close(): void;
}

/** A namespace laid out as `wrangler dev` lays it out, under `dir/<label>`. */
async function openFsNamespace(dir: string, label: string, open: (path: string) => SqlDatabase, valueCacheSize?: number): Promise<BenchNamespace> {
  const root = join(dir, label, "kv");
  await mkdir(join(root, "miniflare-KVNamespaceObject"), { recursive: true });
  const db = open(join(root, "miniflare-KVNamespaceObject", "ns.sqlite"));
  const kv = createKVNamespace({ metadata: db, blobs: createFsBlobStore({ root: join(root, "ns", "blobs") }), ...(valueCacheSize === undefined ? {} : { valueCacheSize }) });
  return { kv, db, close: () => db.close() };
}

/** Put, get and list figures of one backend combination, reported without a target. */
async function reportNamespace(label: string, namespace: BenchNamespace, count: number, value: string): Promise<void> {
  const put = await bestOf(2, () => putAll(namespace.kv, count, value));
  reportFigure({ name: `kv put 100 B (${label})`, value: `${Math.round(ops(count, put)).toLocaleString("en-US")} ops/s` });
  const get = await bestOf(2, () => getAll(namespace.kv, count));
  reportFigure({ name: `kv get 100 B (${label})`, value: `${Math.round(ops(count, get)).toLocaleString("en-US")} ops/s` });
  seedEntries(namespace.db, LIST_SIZE);
  const list = await bestOf(10, async () => {
    const page = await namespace.kv.list({ limit: PAGE, cursor: encodeCursor(listKey(LIST_SIZE / 2)) });
    if (page.keys.length !== PAGE) throw new Error("short page");
  });
  reportFigure({ name: `kv list 1000 of 100k (${label})`, value: `${list.toFixed(2)} ms` });
}

/** Sequential puts; the old blobs they replace are deleted in the background, and counted too. */
async function putAll(kv: CellarKVNamespace, count: number, value: string): Promise<void> {
  for (let i = 0; i < count; i++) await kv.put(`key-${i}`, value);
  await kv.idle();
}

async function putAllConcurrently(kv: CellarKVNamespace, count: number, value: string, inFlight: number): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await kv.put(`key-${next++}`, value);
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  await kv.idle();
}

async function getAll(kv: CellarKVNamespace, count: number): Promise<void> {
  for (let i = 0; i < count; i++) if ((await kv.get(`key-${i}`))?.length !== 100) throw new Error("bad read");
}

/**
 * The raw limit of storing each value as its own file next to a row: per put, create a file
 * exclusively, write it, rename it into place, swap the row's file name in a transaction, and
 * unlink the previous file. Synchronous system calls, no validation, no durability barrier.
 */
function rawFilePerValue(dir: string, raw: Database.Database, count: number): () => void {
  const files = join(dir, "raw-files");
  mkdirSync(files, { recursive: true });
  raw.exec("CREATE TABLE IF NOT EXISTS files (key TEXT PRIMARY KEY, file TEXT NOT NULL)");
  const select = raw.prepare("SELECT file FROM files WHERE key = ?").pluck();
  const upsert = raw.prepare("INSERT OR REPLACE INTO files (key, file) VALUES (?, ?)");
  const swap = raw.transaction((key: string, file: string) => {
    const old = select.get(key) as string | undefined;
    upsert.run(key, file);
    return old;
  });
  const bytes = new Uint8Array(100).fill(118);
  return () => {
    for (let i = 0; i < count; i++) {
      const name = `${randomBytes(40).toString("hex")}-key-${i}`;
      const partial = join(files, `.partial-${name}`);
      const fd = openSync(partial, "wx", 0o444);
      writeSync(fd, bytes);
      closeSync(fd);
      renameSync(partial, join(files, name));
      const old = swap.immediate(`key-${i}`, name);
      if (old !== undefined) unlinkSync(join(files, old));
    }
  };
}

function listKey(i: number): string {
  return `key-${String(i).padStart(6, "0")}`;
}

/** Inserts `n` entries with made-up blob ids directly: enough for `list`, which reads no blob. */
function seedEntries(db: SqlDatabase, n: number): void {
  const insert = db.prepare("INSERT OR REPLACE INTO _mf_entries (key, blob_id, expiration, metadata) VALUES (?, ?, NULL, NULL)");
  db.transaction(() => {
    for (let i = 0; i < n; i++) insert.run(listKey(i), "0".repeat(64) + "000001a200000000");
  });
}

function ops(count: number, ms: number): number {
  return count / (ms / 1000);
}
