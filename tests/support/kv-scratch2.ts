import { mkdtempSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createFsBlobStore } from "@cellar/blob-store-fs";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";
import { createKVNamespace } from "@cellar/kv";
import type { BlobStore } from "@cellar/blob-store";
import type { SqlDatabase } from "@cellar/metadata-store";
const dir = mkdtempSync(join(tmpdir(), "kvs-"));
mkdirSync(join(dir, "db"));
const rdb = createSqliteEngine().open(join(dir, "db", "x.sqlite"));
const t: Record<string, number> = { put: 0, del: 0, txn: 0, flush: 0 };
const db: SqlDatabase = { get location() { return rdb.location }, get open() { return rdb.open }, get inTransaction() { return rdb.inTransaction },
  prepare: (s) => rdb.prepare(s), exec: (s) => rdb.exec(s), close: () => rdb.close(),
  transaction: (fn) => { const s = performance.now(); try { return rdb.transaction(fn); } finally { t.txn += performance.now() - s; } },
  flush: async () => { const s = performance.now(); try { return await rdb.flush(); } finally { t.flush += performance.now() - s; } },
};
const inner = createFsBlobStore({ root: join(dir, "blobs") });
const blobs: BlobStore = { ...inner, capabilities: inner.capabilities,
  put: async (b, o) => { const s = performance.now(); try { return await inner.put(b, o); } finally { t.put += performance.now() - s; } },
  delete: async (id) => { const s = performance.now(); try { return await inner.delete(id); } finally { t.del += performance.now() - s; } },
};
const kv = createKVNamespace({ metadata: db, blobs });
const v = "v".repeat(100);
const N = 2000;
for (let r = 0; r < 4; r++) {
  for (const k in t) t[k] = 0;
  const s = performance.now();
  for (let i = 0; i < N; i++) await kv.put("key-" + i, v);
  const total = performance.now() - s;
  console.log("total us/op", (total * 1000 / N).toFixed(0), Object.entries(t).map(([k, x]) => `${k} ${(x * 1000 / N).toFixed(0)}`).join(" "));
}
await kv.idle();
const { readdirSync } = await import("node:fs");
console.log("files", readdirSync(join(dir, "blobs")).length, "t.del", t.del);
