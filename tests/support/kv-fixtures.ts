import { mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { BlobStore } from "@cellar/blob-store";
import { createFsBlobStore } from "@cellar/blob-store-fs";
import { createMemoryBlobStore } from "@cellar/blob-store-memory";
import type { DescribeKVOptions, KVFixture, KVRow } from "@cellar/conformance";
import { createKVNamespace, type CellarKVNamespace, type KVNamespaceOptions } from "@cellar/kv";
import type { SqlDatabase, SqlEngine } from "@cellar/metadata-store";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";
import { createWasmEngine } from "@cellar/metadata-store-wasm";

/** One backend combination for the KV gateway. */
export interface KVBackend {
  readonly blobs: "memory" | "fs";
  readonly engine: "native" | "wasm";
  readonly database: "memory" | "file";
}

/** Every combination: {memory, fs} blobs × {better-sqlite3, sql.js} × {:memory:, file}. */
export const KV_BACKENDS: readonly KVBackend[] = (["memory", "fs"] as const).flatMap((blobs) =>
  (["native", "wasm"] as const).flatMap((engine) => (["memory", "file"] as const).map((database) => ({ blobs, engine, database }))),
);

export function kvBackendName(backend: KVBackend): string {
  const engine = backend.engine === "native" ? "better-sqlite3" : "sql.js";
  return `${backend.blobs} blobs + ${engine} ${backend.database === "memory" ? ":memory:" : "file"}`;
}

let wasmEngine: Promise<SqlEngine> | undefined;

/** The engine of a backend; the wasm one is compiled once per process. */
export function engineOf(backend: KVBackend): Promise<SqlEngine> {
  if (backend.engine === "native") return Promise.resolve(createSqliteEngine());
  return (wasmEngine ??= createWasmEngine());
}

/** An open namespace on a backend, laid out as `wrangler dev` lays it out, plus its pieces. */
export interface OpenedKV {
  readonly kv: CellarKVNamespace;
  readonly db: SqlDatabase;
  readonly blobs: BlobStore;
  /** The blob directory (fs blobs only). */
  readonly blobDirectory: string | undefined;
  /** Opens a fresh namespace over the same storage, closing this one's database first. */
  reopen(): Promise<OpenedKV>;
  /** Closes the database and removes the temp directory. */
  cleanup(): Promise<void>;
}

/** Opens a namespace on `backend` in a fresh temp directory. */
export async function openKV(backend: KVBackend, options: Partial<KVNamespaceOptions> = {}): Promise<OpenedKV> {
  const dir = await mkdtemp(join(tmpdir(), "cellar-kv-"));
  const engine = await engineOf(backend);
  const location = backend.database === "file" ? join(dir, "kv", "miniflare-KVNamespaceObject", "ns.sqlite") : ":memory:";
  if (location !== ":memory:") await mkdir(dirname(location), { recursive: true });
  const blobDirectory = backend.blobs === "fs" ? join(dir, "kv", "ns", "blobs") : undefined;
  const memoryBlobs = backend.blobs === "memory" ? createMemoryBlobStore() : undefined;

  const open = (): OpenedKV => {
    const db = engine.open(location);
    const blobs = memoryBlobs ?? createFsBlobStore({ root: blobDirectory! });
    const kv = createKVNamespace({ name: "ns", ...options, metadata: db, blobs });
    const opened: OpenedKV = {
      kv,
      db,
      blobs,
      blobDirectory,
      async reopen() {
        await kv.close();
        db.close();
        return open();
      },
      async cleanup() {
        await kv.close();
        db.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
    return opened;
  };
  return open();
}

/** How many value blobs a namespace's blob store holds (partial writes, dotfiles, excluded). */
export async function countBlobs(opened: OpenedKV): Promise<number> {
  await opened.kv.idle();
  if (opened.blobDirectory !== undefined) {
    const names = await readdir(opened.blobDirectory).catch(() => [] as string[]);
    return names.filter((name) => !name.startsWith(".")).length;
  }
  // The memory store lists nothing; a sweep that keeps everything visits every blob once.
  let count = 0;
  await opened.blobs.sweep({ olderThan: Number.POSITIVE_INFINITY, isReferenced: () => (count++, true) });
  return count;
}

/** The rows of `_mf_entries`, straight from SQL. */
export function readRows(db: SqlDatabase): KVRow[] {
  return db.prepare<KVRow>("SELECT key, blob_id, expiration, metadata FROM _mf_entries ORDER BY key").all();
}

/** The conformance suite's options for one backend. */
export function kvSuiteOptions(backend: KVBackend): DescribeKVOptions {
  return {
    name: `kv (${kvBackendName(backend)})`,
    capabilities: { persistent: backend.database === "file", blobCount: true, rows: true, removeBlob: true },
    async create({ clock }) {
      let opened = await openKV(backend, { clock });
      const fixture: KVFixture = {
        get kv() {
          return opened.kv;
        },
        cleanup: () => opened.cleanup(),
        async reopen() {
          opened = await opened.reopen();
          return opened.kv;
        },
        inspect: {
          blobCount: () => countBlobs(opened),
          rows: async () => readRows(opened.db),
          async removeBlob(key) {
            const row = readRows(opened.db).find((candidate) => candidate.key === key);
            if (!row) throw new Error(`no row for ${key}`);
            await opened.blobs.delete(row.blob_id);
            return row.blob_id;
          },
        },
      };
      return fixture;
    },
  };
}
