import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DescribeDurableObjectStorageOptions, DurableObjectFixture, DurableObjectStorageLike } from "@cellar/conformance";
import { createDurableObjectNamespace, type CellarDurableObjectNamespace } from "@cellar/durable-objects";
import { idFromName } from "@cellar/metadata-store";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";
import { backendName, engineOf, type Backend } from "./backends.ts";

export const UNIQUE_KEY = "-TestObject";

/** A fresh object on `backend`: SQLite-mode and KV-mode namespaces in one temp directory (file) or in memory. */
export async function openDurableObjectFixture(backend: Backend, wrap: (storage: DurableObjectStorageLike) => DurableObjectStorageLike = (s) => s): Promise<DurableObjectFixture> {
  const engine = await engineOf(backend);
  const dir = backend.database === "file" ? await mkdtemp(join(tmpdir(), "cellar-do-")) : undefined;
  let namespaces: CellarDurableObjectNamespace[] = [];
  const open = (): { storage: DurableObjectStorageLike; kvModeStorage: DurableObjectStorageLike } => {
    const sqlite = createDurableObjectNamespace({ uniqueKey: UNIQUE_KEY, engine, directory: dir });
    const kv = createDurableObjectNamespace({ uniqueKey: "-TestKvObject", engine, directory: dir, mode: "kv" });
    namespaces = [sqlite, kv];
    return { storage: wrap(sqlite.get(sqlite.idFromName("object")).storage), kvModeStorage: kv.get(kv.idFromName("object")).storage };
  };
  const closeAll = async () => {
    for (const namespace of namespaces) await namespace.close();
  };
  const first = open();
  return {
    ...first,
    reopen:
      dir === undefined
        ? undefined
        : async () => {
            await closeAll();
            return open().storage;
          },
    rawRows: dir === undefined ? undefined : async (options) => rawRows(first.storage, dir, options?.sync !== false),
    async cleanup() {
      await closeAll();
      if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Reads the committed `_cf_KV` rows from the file through a second connection, never through the storage under test. */
async function rawRows(storage: DurableObjectStorageLike, dir: string, sync: boolean): Promise<{ key: string; value: Uint8Array }[]> {
  if (sync) await storage.sync();
  // Always better-sqlite3: a second sql.js connection to an open file is refused by design.
  const db = createSqliteEngine().open(join(dir, UNIQUE_KEY, `${idFromName(UNIQUE_KEY, "object")}.sqlite`));
  try {
    const table = db.prepare("SELECT 1 FROM sqlite_master WHERE name = '_cf_KV'").get();
    return table === undefined ? [] : db.prepare<{ key: string; value: Uint8Array }>("SELECT key, value FROM _cf_KV ORDER BY key").all();
  } finally {
    db.close();
  }
}

export function durableObjectSuiteOptions(backend: Backend): DescribeDurableObjectStorageOptions {
  return { name: backendName(backend, { blobs: false }), create: () => openDurableObjectFixture(backend) };
}
