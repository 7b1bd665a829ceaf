import { createCacheStorage } from "@cellar/cache";
import { createKVNamespace } from "@cellar/kv";
import { createR2Bucket } from "@cellar/r2";
import type { SweepResult } from "@cellar/blob-store";
import { findNamespaces, type BlobProduct } from "./layout.js";
import type { StateInternals } from "./open-state.js";

export interface GcOptions {
  /**
   * Blobs younger than this (ms, by their creation time) are never swept, so a write in flight in
   * another process keeps its blob. Default one hour.
   */
  readonly graceMs?: number;
}

/** What `gc` did in one namespace. */
export interface GcNamespaceReport {
  readonly product: BlobProduct;
  /** The namespace id, bucket name or cache name (`default`, `named:<name>`); absent when no blob directory maps to the file. */
  readonly name?: string;
  /** The namespace's database file (`:memory:` for a state in memory). */
  readonly file: string;
  /** KV and Cache: expired entries deleted. R2: abandoned multipart uploads aborted (7 days old). */
  readonly expiredEntries: number;
  /** Blob files no entry references, older than the grace period, deleted. */
  readonly orphanBlobs: number;
  /** Partial writes left by a crash, deleted. */
  readonly partialWrites: number;
  /** Bytes freed by the orphan blobs and partial writes. */
  readonly freedBytes: number;
  /** Why the namespace was left alone, when it was. */
  readonly skipped?: string;
}

export interface GcReport {
  readonly namespaces: readonly GcNamespaceReport[];
  readonly total: { readonly expiredEntries: number; readonly orphanBlobs: number; readonly partialWrites: number; readonly freedBytes: number };
}

const PRODUCTS: readonly BlobProduct[] = ["kv", "r2", "cache"];
const UNMAPPED =
  "no blob directory maps to this file (a name sanitisePath changed, written by a tool that records no names, such as wrangler dev); open it by name with openState and run gc in that process";

interface Swept {
  readonly expiredEntries: number;
  readonly sweep: SweepResult;
}

async function gcKV(state: StateInternals, name: string, graceMs: number | undefined): Promise<Swept> {
  const live = state.kvs.get(name);
  const owned = live === undefined ? state.openStores("kv", name) : undefined;
  const namespace = live ?? createKVNamespace({ metadata: owned!.metadata, blobs: owned!.blobs, name, ...(state.clock ? { clock: state.clock } : {}) });
  try {
    const expiredEntries = await namespace.purgeExpired();
    await namespace.idle();
    return { expiredEntries, sweep: await namespace.sweep(graceMs === undefined ? {} : { graceMs }) };
  } finally {
    if (owned !== undefined) {
      await namespace.close();
      owned.metadata.close();
    }
  }
}

async function gcR2(state: StateInternals, name: string, graceMs: number | undefined): Promise<Swept> {
  const live = state.buckets.get(name);
  const owned = live === undefined ? state.openStores("r2", name) : undefined;
  const bucket = live ?? createR2Bucket({ metadata: owned!.metadata, blobs: owned!.blobs, name, ...(state.clock ? { clock: state.clock } : {}) });
  try {
    const expiredEntries = await bucket.expireMultipartUploads();
    await bucket.idle();
    return { expiredEntries, sweep: await bucket.sweep(graceMs === undefined ? {} : { graceMs }) };
  } finally {
    if (owned !== undefined) {
      await bucket.close();
      owned.metadata.close();
    }
  }
}

async function gcCache(state: StateInternals, name: string, graceMs: number | undefined): Promise<Swept> {
  // A cache this state uses is swept through a second gateway over the same stores, once the
  // state's own writes have settled; the grace period covers writes started meanwhile.
  const live = state.cacheStores.get(name);
  if (live !== undefined) await state.caches?.idle();
  const stores = live ?? state.openStores("cache", name);
  const storage = createCacheStorage({ open: () => ({ metadata: stores.metadata, blobs: stores.blobs }), ...(state.clock ? { clock: state.clock } : {}) });
  try {
    if (name === "default") void storage.default;
    else await storage.open(name.slice("named:".length));
    const expiredEntries = await storage.purgeExpired();
    await storage.idle();
    return { expiredEntries, sweep: await storage.sweep(graceMs === undefined ? {} : { graceMs }) };
  } finally {
    await storage.close();
    if (live === undefined) stores.metadata.close();
  }
}

/**
 * Garbage-collects every KV, R2 and Cache namespace of a state.
 *
 * With a persist root it works from the files, so namespaces this process never opened are
 * collected too: every `<product>/miniflare-<Class>/<id>.sqlite` is a namespace. The file name is a
 * one-way hash of the namespace name, and the name is needed to find the blob directory
 * (`<product>/<sanitisePath(name)>/blobs`), so names come from the blob directories present
 * (`default` and `named_<n>` become the cache names `default` and `named:<n>`) and from the names
 * this state has used; a name maps to a file when it hashes to it. A file no name maps to is
 * reported as skipped. Each namespace's expired entries are purged first (their blobs become
 * unreferenced), then blobs no row references and older than `graceMs` are swept (L5).
 * D1 databases and Durable Objects keep no blobs and are not touched.
 */
export async function collectGarbage(state: StateInternals, options: GcOptions): Promise<GcReport> {
  const graceMs = options.graceMs;
  if (graceMs !== undefined && (!Number.isFinite(graceMs) || graceMs < 0)) throw new TypeError(`graceMs must be a non-negative number, got ${String(graceMs)}`);
  const namespaces: GcNamespaceReport[] = [];
  for (const product of PRODUCTS) {
    const used = product === "kv" ? [...state.kvs.keys()] : product === "r2" ? [...state.buckets.keys()] : [...state.cacheStores.keys()];
    const found =
      state.root === undefined
        ? used.map((name) => ({ product, name, file: ":memory:" }))
        : findNamespaces(state.root, product, used);
    for (const { name, file } of found) {
      if (name === undefined) {
        namespaces.push({ product, file, expiredEntries: 0, orphanBlobs: 0, partialWrites: 0, freedBytes: 0, skipped: UNMAPPED });
        continue;
      }
      const result =
        product === "kv"
          ? await gcKV(state, name, graceMs)
          : product === "r2"
            ? await gcR2(state, name, graceMs)
            : await gcCache(state, name, graceMs);
      namespaces.push({
        product,
        name,
        file,
        expiredEntries: result.expiredEntries,
        orphanBlobs: result.sweep.deletedBlobs,
        partialWrites: result.sweep.deletedPartials,
        freedBytes: result.sweep.freedBytes,
      });
    }
  }
  const total = { expiredEntries: 0, orphanBlobs: 0, partialWrites: 0, freedBytes: 0 };
  for (const entry of namespaces) {
    total.expiredEntries += entry.expiredEntries;
    total.orphanBlobs += entry.orphanBlobs;
    total.partialWrites += entry.partialWrites;
    total.freedBytes += entry.freedBytes;
  }
  return { namespaces, total };
}
