import { mkdtempSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createFsBlobStore } from "@cellar/blob-store-fs";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";
import { createKVNamespace } from "@cellar/kv";
import type { BlobStore } from "@cellar/blob-store";
const dir = mkdtempSync(join(tmpdir(), "kvs-"));
mkdirSync(join(dir, "db"));
const db = createSqliteEngine().open(join(dir, "db", "x.sqlite"));
const inner = createFsBlobStore({ root: join(dir, "blobs") });
const t = { put: 0, del: 0, get: 0 };
const blobs: BlobStore = { ...inner, capabilities: inner.capabilities,
  put: async (b, o) => { const s = performance.now(); try { return await inner.put(b, o); } finally { t.put += performance.now() - s; } },
  delete: async (id) => { const s = performance.now(); try { return await inner.delete(id); } finally { t.del += performance.now() - s; } },
};
const kv = createKVNamespace({ metadata: db, blobs });
const v = "v".repeat(100);
const N = 2000;
for (let r = 0; r < 3; r++) {
  t.put = t.del = 0;
  const s = performance.now();
  for (let i = 0; i < N; i++) await kv.put("key-" + i, v);
  const total = performance.now() - s;
  console.log("total us/op", (total * 1000 / N).toFixed(0), "put", (t.put * 1000 / N).toFixed(0), "del", (t.del * 1000 / N).toFixed(0));
}
