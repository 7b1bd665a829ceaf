import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { sanitisePath } from "@cellar/blob-store";
import { createFsBlobStore } from "@cellar/blob-store-fs";
import { createKVNamespace, type CellarKVNamespace } from "@cellar/kv";
import { objectDatabasePath, type SqlDatabase } from "@cellar/metadata-store";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";

/**
 * Opens namespace `ns` persisted under `root` in the `wrangler dev` layout, on fs blobs and a
 * better-sqlite3 file: what a child process of the KV tests works on.
 */
export function openPersistedNamespace(root: string): { kv: CellarKVNamespace; db: SqlDatabase; blobDirectory: string } {
  const databasePath = objectDatabasePath(root, "kv", "ns");
  mkdirSync(dirname(databasePath), { recursive: true });
  const db = createSqliteEngine().open(databasePath);
  const blobDirectory = join(root, "kv", sanitisePath("ns"), "blobs");
  const kv = createKVNamespace({ metadata: db, blobs: createFsBlobStore({ root: blobDirectory }), name: "ns" });
  return { kv, db, blobDirectory };
}
