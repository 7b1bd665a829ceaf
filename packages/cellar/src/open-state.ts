import { existsSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { namespaceBlobDirectory, type BlobStore } from "@cellar/blob-store";
import { createFsBlobStore } from "@cellar/blob-store-fs";
import { createMemoryBlobStore } from "@cellar/blob-store-memory";
import { createCacheStorage, type CellarCacheStorage } from "@cellar/cache";
import { createD1Database, type CellarD1Database } from "@cellar/d1";
import { createDurableObjectNamespace, type CellarDurableObjectNamespace, type DurableObjectNamespaceOptions } from "@cellar/durable-objects";
import { createKVNamespace, type CellarKVNamespace } from "@cellar/kv";
import { objectDatabasePath, type ProductName, type SqlDatabase, type SqlEngine } from "@cellar/metadata-store";
import { createR2Bucket, type CellarR2Bucket } from "@cellar/r2";
import { loadEngine, loadHeldOpenProbe, type EngineKind, type HeldOpenProbe } from "./engines.js";
import { findNamespaces, recordNamespaceName } from "./layout.js";
import { migrateLegacyDatabase } from "./legacy-migration.js";
import { collectGarbage, type GcOptions, type GcReport } from "./gc.js";

/** Where warnings go: files another process holds open, failed migrations of the old layout. */
export interface StateLogger {
  warn(message: string): void;
  /** Told when an old-layout database is not migrated because the new one exists. */
  debug?(message: string): void;
}

export interface OpenStateOptions {
  /**
   * The persist root, laid out as `.wrangler/state/v3` (`kv/`, `r2/`, `d1/`, `cache/`, `do/`).
   * Undefined keeps everything in memory, for the life of the state.
   */
  readonly root?: string;
  /** `"native"` (better-sqlite3, the default) or `"wasm"` (sql.js) for every database. */
  readonly engine?: EngineKind;
  /** Time source for expiry and blob ages, in epoch ms. Default `Date.now`. */
  readonly clock?: { now(): number };
  /** Receives the warning when a database file is open in another process. Default `console`. */
  readonly logger?: StateLogger;
}

/** Options of `durableObjects(uniqueKey, options)`: those of `createDurableObjectNamespace` the state does not decide. */
export type StateDurableObjectOptions = Omit<DurableObjectNamespaceOptions, "uniqueKey" | "engine" | "directory">;

/** The storage of one persist root. Every accessor returns the same instance for the same name. */
export interface CellarState {
  /** The absolute persist root, or undefined in memory. */
  readonly root: string | undefined;
  /** The SQLite engine every database is opened with. */
  readonly engine: SqlEngine;
  /** The KV namespace with this namespace id (not the binding name). */
  kv(namespaceId: string): CellarKVNamespace;
  /** The R2 bucket with this name. */
  r2(bucketName: string): CellarR2Bucket;
  /** The D1 database with this id (`preview_database_id ?? database_id ?? binding`, as wrangler picks it). */
  d1(databaseId: string): CellarD1Database;
  /** `caches.default` and `caches.open(name)`. */
  readonly caches: CellarCacheStorage;
  /** The Durable Object namespace `uniqueKey` (`<worker name>-<class name>`, `-Counter` for an unnamed worker). */
  durableObjects(uniqueKey: string, options?: StateDurableObjectOptions): CellarDurableObjectNamespace;
  /**
   * The KV namespace ids, R2 bucket names or D1 database ids this state knows, sorted: those used
   * through it, and under a root those found on disk. KV and R2 names are read from their blob
   * directories; a D1 file is named by a one-way hash of its id, so only ids used here are known.
   */
  names(product: "kv" | "r2" | "d1"): string[];
  /** Sweeps orphan blobs and purges expired entries in every KV, R2 and Cache namespace under the root. */
  gc(options?: GcOptions): Promise<GcReport>;
  /** Waits for writes in flight and closes every gateway and database. Idempotent. */
  close(): Promise<void>;
}

/** The stores of one KV, R2, Cache or D1 object. */
export interface ObjectStores {
  readonly file: string;
  readonly metadata: SqlDatabase;
  readonly blobs: BlobStore;
}

/** What `gc` needs from a state. */
export interface StateInternals {
  readonly root: string | undefined;
  readonly engine: SqlEngine;
  readonly clock: { now(): number } | undefined;
  readonly kvs: ReadonlyMap<string, CellarKVNamespace>;
  readonly buckets: ReadonlyMap<string, CellarR2Bucket>;
  readonly cacheStores: ReadonlyMap<string, ObjectStores>;
  readonly caches: CellarCacheStorage | undefined;
  /** Opens the stores of an object not used by this state yet; the caller closes them. */
  openStores(product: "kv" | "r2" | "cache", name: string): ObjectStores;
}

function assertName(kind: string, name: unknown): asserts name is string {
  if (typeof name !== "string" || name === "") throw new TypeError(`${kind} must be a non-empty string, got ${JSON.stringify(name)}`);
}

/**
 * Opens the storage of a persist root (or of memory), handing every gateway the stores
 * `wrangler dev` would use: `openState({ root: ".wrangler/state/v3" })` reads and writes what a
 * Worker sees in `wrangler dev`.
 */
export async function openState(options: OpenStateOptions = {}): Promise<CellarState> {
  const root = options.root === undefined ? undefined : resolve(options.root);
  const engine = await loadEngine(options.engine ?? "native");
  const probe: HeldOpenProbe | undefined = root === undefined ? undefined : await loadHeldOpenProbe();
  const logger: StateLogger = options.logger ?? { warn: (message) => console.warn(message) };
  const clock = options.clock;
  const engineKind = options.engine ?? "native";

  const opened: SqlDatabase[] = [];
  const kvs = new Map<string, CellarKVNamespace>();
  const buckets = new Map<string, CellarR2Bucket>();
  const databases = new Map<string, CellarD1Database>();
  const cacheStores = new Map<string, ObjectStores>();
  const objectNamespaces = new Map<string, CellarDurableObjectNamespace>();
  let caches: CellarCacheStorage | undefined;
  let closing: Promise<void> | undefined;

  const assertOpen = (): void => {
    if (closing !== undefined) throw new Error("cellar state is closed");
  };

  /** Warns when another connection holds `file` open (see `HeldOpenProbe`). */
  const checkHeldOpen = (file: string): void => {
    if (probe === undefined || !existsSync(file) || !(existsSync(`${file}-wal`) || existsSync(`${file}-shm`))) return;
    if (!probe(file)) return;
    logger.warn(
      engineKind === "wasm"
        ? `cellar: ${file} is open in another process (wrangler dev?). The wasm engine rewrites whole files and cannot share them: stop the other process first, or use the native engine.`
        : `cellar: ${file} is open in another process (wrangler dev?). Both can use it: writes wait for each other up to the busy timeout, after which the operation fails with a BusyError naming the file.`,
    );
  };

  /** The class directory's `metadata.sqlite` (workerd's alarm index): it exists in every namespace directory, and stays empty for KV, Cache, R2 and D1. */
  const ensureClassMetadata = (classDirectory: string): void => {
    const file = join(classDirectory, "metadata.sqlite");
    if (existsSync(file)) return;
    engine.open(file).close();
  };

  const openStores = (product: ProductName, name: string): ObjectStores => {
    if (root === undefined) {
      const metadata = engine.open(":memory:");
      return { file: ":memory:", metadata, blobs: createMemoryBlobStore(clock === undefined ? {} : { clock }) };
    }
    if (product !== "cache") migrateLegacyDatabase(root, product, name, logger);
    const file = objectDatabasePath(root, product, name);
    mkdirSync(dirname(file), { recursive: true });
    ensureClassMetadata(dirname(file));
    checkHeldOpen(file);
    const metadata = engine.open(file);
    if (product !== "d1") recordNamespaceName(root, product, name);
    const blobRoot = namespaceBlobDirectory(root, product, name);
    return { file, metadata, blobs: createFsBlobStore(clock === undefined ? { root: blobRoot } : { root: blobRoot, clock }) };
  };
  const openTracked = (product: ProductName, name: string): ObjectStores => {
    const stores = openStores(product, name);
    opened.push(stores.metadata);
    return stores;
  };
  const clockOption = clock === undefined ? {} : { clock };

  const state: CellarState = {
    root,
    engine,
    kv(namespaceId) {
      assertOpen();
      assertName("namespaceId", namespaceId);
      let namespace = kvs.get(namespaceId);
      if (namespace === undefined) {
        const { metadata, blobs } = openTracked("kv", namespaceId);
        namespace = createKVNamespace({ metadata, blobs, name: namespaceId, ...clockOption });
        kvs.set(namespaceId, namespace);
      }
      return namespace;
    },
    r2(bucketName) {
      assertOpen();
      assertName("bucketName", bucketName);
      let bucket = buckets.get(bucketName);
      if (bucket === undefined) {
        const { metadata, blobs } = openTracked("r2", bucketName);
        bucket = createR2Bucket({ metadata, blobs, name: bucketName, ...clockOption });
        buckets.set(bucketName, bucket);
      }
      return bucket;
    },
    d1(databaseId) {
      assertOpen();
      assertName("databaseId", databaseId);
      let database = databases.get(databaseId);
      if (database === undefined) {
        database = createD1Database({ database: openTracked("d1", databaseId).metadata });
        databases.set(databaseId, database);
      }
      return database;
    },
    get caches() {
      assertOpen();
      caches ??= createCacheStorage({
        ...clockOption,
        open: (name) => {
          const stores = openTracked("cache", name);
          cacheStores.set(name, stores);
          return stores;
        },
      });
      return caches;
    },
    durableObjects(uniqueKey, objectOptions = {}) {
      assertOpen();
      assertName("uniqueKey", uniqueKey);
      let namespace = objectNamespaces.get(uniqueKey);
      if (namespace === undefined) {
        namespace = createDurableObjectNamespace({
          ...clockOption,
          ...objectOptions,
          uniqueKey,
          engine,
          ...(root === undefined ? {} : { directory: join(root, "do") }),
        });
        objectNamespaces.set(uniqueKey, namespace);
      }
      return namespace;
    },
    names(product) {
      assertOpen();
      const used = product === "kv" ? kvs.keys() : product === "r2" ? buckets.keys() : databases.keys();
      const names = new Set(used);
      if (root !== undefined && product !== "d1") {
        for (const found of findNamespaces(root, product, names)) if (found.name !== undefined) names.add(found.name);
      }
      return [...names].sort();
    },
    async gc(gcOptions = {}) {
      assertOpen();
      return collectGarbage(
        { root, engine, clock, kvs, buckets, cacheStores, caches, openStores: (product, name) => openStores(product, name) },
        gcOptions,
      );
    },
    close() {
      closing ??= (async () => {
        const results = await Promise.allSettled([
          ...[...kvs.values()].map((namespace) => namespace.close()),
          ...[...buckets.values()].map((bucket) => bucket.close()),
          ...[...objectNamespaces.values()].map((namespace) => namespace.close()),
          ...(caches === undefined ? [] : [caches.close()]),
        ]);
        for (const database of opened) if (database.open) database.close();
        const failure = results.find((result): result is PromiseRejectedResult => result.status === "rejected");
        if (failure !== undefined) throw failure.reason;
      })();
      return closing;
    },
  };
  return state;
}
