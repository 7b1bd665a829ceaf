import type { DescribeKVOptions, KVFixture, KVNamespaceLike, KVRow } from "@cellar/conformance";
import { createKVNamespace, type CellarKVNamespace, type KVNamespaceOptions } from "@cellar/kv";
import type { SqlDatabase } from "@cellar/metadata-store";
import { BACKENDS, backendName, countBlobs as countStoredBlobs, openBackend, type Backend, type OpenedBackend } from "./backends.ts";

/** Every backend combination the KV gateway runs on. */
export const KV_BACKENDS: readonly Backend[] = BACKENDS;
export const kvBackendName = (backend: Backend): string => backendName(backend);

/** An open namespace on a backend, laid out as `wrangler dev` lays it out, plus its pieces. */
export interface OpenedKV extends OpenedBackend {
  readonly kv: CellarKVNamespace;
  /** Closes this namespace and its database and opens new ones over the same storage. */
  reopen(): Promise<OpenedKV>;
}

/** Opens namespace `ns` on `backend` in a fresh temp directory. */
export async function openKV(backend: Backend, options: Partial<KVNamespaceOptions> = {}): Promise<OpenedKV> {
  let kv: CellarKVNamespace | undefined;
  const withNamespace = (stores: OpenedBackend): OpenedKV => {
    kv = createKVNamespace({ name: "ns", ...options, metadata: stores.metadata, blobs: stores.blobs });
    return { ...stores, kv, reopen: async () => withNamespace(await stores.reopen()) };
  };
  const stores = await openBackend(backend, { product: "kv", beforeClose: () => kv?.close() });
  return withNamespace(stores);
}

/** How many value blobs a namespace's blob store holds, once its background deletes are done. */
export async function countBlobs(opened: OpenedKV): Promise<number> {
  await opened.kv.idle();
  return countStoredBlobs(opened);
}

/** The rows of `_mf_entries`, straight from SQL. */
export function readRows(db: SqlDatabase): KVRow[] {
  return db.prepare<KVRow>("SELECT key, blob_id, expiration, metadata FROM _mf_entries ORDER BY key").all();
}

/** How a deliberately broken backend changes a working one (tests/broken/kv-*.broken.ts). */
export interface KVBreakage {
  /** Shown in the suite's name. */
  readonly name: string;
  /** The clock the namespace gets instead of the suite's. */
  readonly clock?: { now(): number };
  /** Wraps the working namespace. */
  wrap?(kv: KVNamespaceLike): KVNamespaceLike;
}

/** The conformance suite's options for one backend, optionally broken on purpose. */
export function kvSuiteOptions(backend: Backend, breakage?: KVBreakage): DescribeKVOptions {
  return {
    name: breakage ? `kv broken: ${breakage.name}` : `kv (${kvBackendName(backend)})`,
    capabilities: { persistent: backend.database === "file", blobCount: true, rows: true, removeBlob: true },
    async create({ clock }) {
      let opened = await openKV(backend, { clock: breakage?.clock ?? clock });
      const wrap = breakage?.wrap ?? ((kv: KVNamespaceLike) => kv);
      let kv = wrap(opened.kv);
      const fixture: KVFixture = {
        get kv() {
          return kv;
        },
        cleanup: () => opened.cleanup(),
        async reopen() {
          opened = await opened.reopen();
          kv = wrap(opened.kv);
          return kv;
        },
        inspect: {
          blobCount: () => countBlobs(opened),
          rows: async () => readRows(opened.metadata),
          async removeBlob(key) {
            const row = readRows(opened.metadata).find((candidate) => candidate.key === key);
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
