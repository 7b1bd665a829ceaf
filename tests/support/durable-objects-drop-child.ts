import { createDurableObjectNamespace, deleteAllDurableObjects } from "@cellar/durable-objects";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";
import { createWasmEngine } from "@cellar/metadata-store-wasm";

/**
 * Child process of tests/durable-objects-drop-crash.test.ts: in namespace `<uniqueKey>` of `<dir>`
 * writes `<count>` objects (a KV value, a table, an alarm an hour ahead), keeps them open, then
 * drops the namespace (`deleteAll()`, or `deleteAllDurableObjects()` with `helper`). It prints
 * every drop stage as one JSON line and SIGKILLs itself at `<killAt>`: a stage name
 * (`started`, `tombstone-written`, `schedule-cleared`), `file-deleted:<n>` (after the n-th file),
 * or `never`. `<engine>` is `native` (better-sqlite3, the default) or `wasm` (sql.js).
 */
const [dir, uniqueKey, count, killAt, via, engineName] = process.argv.slice(2) as [string, string, string, string, string | undefined, string | undefined];
const namespace = createDurableObjectNamespace({
  uniqueKey,
  engine: engineName === "wasm" ? await createWasmEngine() : createSqliteEngine(),
  directory: dir,
  onAlarm: () => {},
  onDropProgress: (progress) => {
    process.stdout.write(`${JSON.stringify(progress)}\n`);
    const at = progress.stage === "file-deleted" ? `file-deleted:${progress.deleted}` : progress.stage;
    if (at === killAt) process.kill(process.pid, "SIGKILL");
  },
});
for (let i = 0; i < Number(count); i++) {
  const { storage } = namespace.get(namespace.idFromName(`o${i}`));
  await storage.put("k", `old ${i}`);
  storage.sql.exec("CREATE TABLE t (x)");
  storage.sql.exec("INSERT INTO t VALUES (?)", i);
  await storage.setAlarm(Date.now() + 3_600_000);
}
await namespace.get(namespace.idFromName("o0")).storage.sync();
if (via === "helper") await deleteAllDurableObjects([namespace]);
else await namespace.deleteAll();
await namespace.close();
