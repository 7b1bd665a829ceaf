import { mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { BlobStore, Clock } from "@cellar/blob-store";
import { createFsBlobStore } from "@cellar/blob-store-fs";
import { createMemoryBlobStore } from "@cellar/blob-store-memory";
import type { SqlDatabase, SqlEngine } from "@cellar/metadata-store";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";
import { createWasmEngine } from "@cellar/metadata-store-wasm";

/**
 * One backend combination a gateway runs on: where blobs live, which SQLite engine, and
 * whether the database is a file or in memory. Every gateway's conformance suite runs on all of
 * them, so this list lives in one place.
 */
export interface Backend {
  readonly blobs: "memory" | "fs";
  readonly engine: "native" | "wasm";
  readonly database: "memory" | "file";
}

/** Every combination: {memory, fs} blobs × {better-sqlite3, sql.js} × {:memory:, file}. */
export const BACKENDS: readonly Backend[] = (["memory", "fs"] as const).flatMap((blobs) =>
  (["native", "wasm"] as const).flatMap((engine) => (["memory", "file"] as const).map((database) => ({ blobs, engine, database }))),
);

/** The SQL-only combinations, for gateways without blobs (D1, Durable Objects). */
export const SQL_BACKENDS: readonly Backend[] = BACKENDS.filter((backend) => backend.blobs === "memory");

export function backendName(backend: Backend, options: { blobs?: boolean } = {}): string {
  const engine = backend.engine === "native" ? "better-sqlite3" : "sql.js";
  const database = `${engine} ${backend.database === "memory" ? ":memory:" : "file"}`;
  return options.blobs === false ? database : `${backend.blobs} blobs + ${database}`;
}

let wasmEngine: Promise<SqlEngine> | undefined;

/** The engine of a backend; the wasm module is compiled once per process. */
export function engineOf(backend: Backend): Promise<SqlEngine> {
  if (backend.engine === "native") return Promise.resolve(createSqliteEngine());
  return (wasmEngine ??= createWasmEngine());
}

/** The stores of one gateway instance (a namespace, bucket, cache or database) on a backend. */
export interface BackendStores {
  readonly engine: SqlEngine;
  readonly metadata: SqlDatabase;
  readonly blobs: BlobStore;
  /** The SQLite file, or `":memory:"`. */
  readonly location: string;
  /** The directory of the blob files (fs blobs only). */
  readonly blobDirectory: string | undefined;
  /** The temp directory everything lives in. */
  readonly dir: string;
}

export interface OpenedBackend extends BackendStores {
  /**
   * Closes this database and opens new stores over the same files (memory blobs carry over;
   * an in-memory database starts empty, since nothing can be reopened).
   */
  reopen(): Promise<OpenedBackend>;
  /** Closes the database and removes the temp directory. */
  cleanup(): Promise<void>;
}

export interface OpenBackendOptions {
  /** The product directory (`kv`, `r2`, `cache`, `d1`), as in `.wrangler/state/v3`. */
  readonly product: string;
  /** Blob directory name under the product (the sanitised namespace). Default `"ns"`. */
  readonly namespace?: string;
  /** Clock for the blob store's ids (sweep ages). */
  readonly clock?: Clock;
  /** Called before the database closes on `reopen` and `cleanup`, e.g. to close the gateway. */
  readonly beforeClose?: () => Promise<void> | void;
}

/** Opens stores on `backend` in a fresh temp directory, laid out as `wrangler dev` lays them out. */
export async function openBackend(backend: Backend, options: OpenBackendOptions): Promise<OpenedBackend> {
  const dir = await mkdtemp(join(tmpdir(), `cellar-${options.product}-`));
  const engine = await engineOf(backend);
  const namespace = options.namespace ?? "ns";
  const location = backend.database === "file" ? join(dir, options.product, `miniflare-${options.product}`, `${namespace}.sqlite`) : ":memory:";
  if (location !== ":memory:") await mkdir(dirname(location), { recursive: true });
  const blobDirectory = backend.blobs === "fs" ? join(dir, options.product, namespace, "blobs") : undefined;
  const memoryBlobs = backend.blobs === "memory" ? createMemoryBlobStore({ clock: options.clock }) : undefined;

  const open = (): OpenedBackend => {
    const metadata = engine.open(location);
    const blobs = memoryBlobs ?? createFsBlobStore({ root: blobDirectory!, clock: options.clock });
    const close = async () => {
      await options.beforeClose?.();
      if (metadata.open) metadata.close();
    };
    return {
      engine,
      metadata,
      blobs,
      location,
      blobDirectory,
      dir,
      async reopen() {
        await close();
        return open();
      },
      async cleanup() {
        await close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  };
  return open();
}

/** How many blobs a store holds (partial writes and other dotfiles excluded). */
export async function countBlobs(stores: Pick<BackendStores, "blobs" | "blobDirectory">): Promise<number> {
  if (stores.blobDirectory !== undefined) {
    const names = await readdir(stores.blobDirectory).catch(() => [] as string[]);
    return names.filter((name) => !name.startsWith(".")).length;
  }
  // The memory store lists nothing; a sweep that keeps everything visits every blob once.
  let count = 0;
  await stores.blobs.sweep({ olderThan: Number.POSITIVE_INFINITY, isReferenced: () => (count++, true) });
  return count;
}
