import { createMemoryBlobStore } from "@cellar/blob-store-memory";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";
import { createWasmEngine } from "@cellar/metadata-store-wasm";
import { createKVNamespace } from "@cellar/kv";
for (const db of [createSqliteEngine().open(":memory:"), (await createWasmEngine()).open(":memory:")]) {
  let now = 1_000_000_000_000;
  const kv = createKVNamespace({ metadata: db, blobs: createMemoryBlobStore(), clock: { now: () => now } });
  const keys = [" ", "A", "B", "_", "a", "a/", "a/b", "a0", "ab", "b", "e", "~", "é", "｡", "\uFFFF", "😀", "exp", "x\0y", "x\0z", "x"];
  for (const k of keys) await kv.put(k, "v:" + k, { metadata: { k } });
  const l = await kv.list();
  console.log(l.keys.map((k) => k.name).join("|"), l.list_complete);
  let cursor: string | undefined; const curs = [];
  const keys2 = [" ", "A", "B", "_", "a", "a/", "a/b", "a0", "ab", "b", "e", "~", "é", "｡", "\uFFFF", "😀", "exp"];
  const kv2 = createKVNamespace({ metadata: createSqliteEngine().open(":memory:"), blobs: createMemoryBlobStore() });
  for (const k of keys2) await kv2.put(k, k);
  do { const page = await kv2.list({ limit: 5, cursor }); curs.push(page.list_complete ? "done" : page.cursor); cursor = page.list_complete ? undefined : page.cursor; } while (cursor);
  console.log(curs);
  console.log(await kv.list({ prefix: "x\0" }).then((r) => r.keys.map((k) => JSON.stringify(k.name))));
  console.log(await kv.get("x\0y"), await kv.getWithMetadata("a"), await kv.get(["a", "b", "zz", "a"]));
  await kv.put("t", "ttl", { expirationTtl: 60 });
  console.log(await kv.get("t")); now += 60_000; console.log(await kv.get("t"));
  try { await kv.put("k", "v", { expirationTtl: 30 }); } catch (e) { console.log(String(e)); }
  try { await kv.get(""); } catch (e) { console.log(String(e)); }
}
