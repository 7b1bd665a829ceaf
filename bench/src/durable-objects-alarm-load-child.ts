/**
 * Child process for the alarm-load figures: writes `count` far-future alarms into a namespace's
 * `metadata.sqlite` (workerd's `_cf_ALARM`), then measures, after a GC, the time and the RSS
 * growth of either opening the namespace (`ours`: every alarm loaded and armed on a timer) or a
 * raw better-sqlite3 `SELECT` of the same rows (`raw`). Prints `{ ms, rssDelta, baseline }` as JSON.
 * It runs alone so nothing else in the benchmark inflates its memory.
 */
import { mkdirSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { createDurableObjectNamespace } from "@cellar/durable-objects";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";

const [mode, countText] = process.argv.slice(2) as ["ours" | "raw", string];
const count = Number(countText);
const uniqueKey = "-BenchAlarms";
const dir = await mkdtemp(join(tmpdir(), "cellar-bench-do-alarms-"));
try {
  const location = join(dir, uniqueKey, "metadata.sqlite");
  mkdirSync(join(dir, uniqueKey));
  const ids = createDurableObjectNamespace({ uniqueKey, engine: createSqliteEngine() });
  const seed = new Database(location);
  seed.pragma("journal_mode = WAL");
  seed.exec("CREATE TABLE _cf_ALARM (actor_id TEXT PRIMARY KEY, scheduled_time INTEGER) WITHOUT ROWID");
  const insert = seed.prepare("INSERT INTO _cf_ALARM (actor_id, scheduled_time) VALUES (?, ?)");
  const at = BigInt(Date.now() + 3_600_000) * 1_000_000n;
  seed.transaction(() => {
    for (let i = 0; i < count; i++) insert.run(ids.idFromName(`object-${i}`).toString(), at + BigInt(i));
  })();
  seed.close();

  globalThis.gc?.();
  await new Promise((resolve) => setTimeout(resolve, 50));
  const baseline = process.memoryUsage.rss();
  const started = performance.now();
  let keep: unknown;
  if (mode === "ours") {
    keep = createDurableObjectNamespace({ uniqueKey, engine: createSqliteEngine(), directory: dir, onAlarm: () => {} });
  } else {
    const raw = new Database(location, { readonly: true });
    keep = raw.prepare("SELECT actor_id, scheduled_time FROM _cf_ALARM").safeIntegers(true).all();
    raw.close();
  }
  const ms = performance.now() - started;
  globalThis.gc?.();
  const rssDelta = process.memoryUsage.rss() - baseline;
  if (mode === "ours") await (keep as { close(): Promise<void> }).close();
  else if ((keep as unknown[]).length !== count) throw new Error(`read ${(keep as unknown[]).length} of ${count} rows`);
  process.stdout.write(JSON.stringify({ ms, rssDelta, baseline }));
} finally {
  await rm(dir, { recursive: true, force: true });
}
