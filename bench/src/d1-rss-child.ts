/**
 * Child process for the D1 export/import figures: builds a database of about `size` bytes, then
 * exports it to a file with `exportD1` and imports that file into an empty database with
 * `importD1`, sampling RSS every 5 ms. Prints `{ baseline, exportPeak, importPeak, exportMs,
 * importMs, rows, sqlBytes, databaseBytes }` as JSON. It runs alone so nothing else inflates its memory.
 */
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createD1Database, exportD1, importD1 } from "@cellar/d1";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";

const size = Number(process.argv[2]);
const dir = await mkdtemp(join(tmpdir(), "cellar-bench-d1-rss-"));
try {
  const engine = createSqliteEngine();
  const source = engine.open(join(dir, "source.sqlite"));
  source.exec("CREATE TABLE events (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, payload TEXT, data BLOB, score REAL)");
  // About 200 bytes per row, written directly: building the input is not what is measured.
  const rows = Math.ceil(size / 200);
  const insert = source.prepare("INSERT INTO events (kind, payload, data, score) VALUES (?, ?, ?, ?)");
  const payload = "lorem ipsum dolor sit amet, it's a payload ".repeat(3);
  const blob = new Uint8Array(32).map((_, i) => i * 7);
  for (let start = 0; start < rows; start += 10_000) {
    source.transaction(() => {
      for (let i = start; i < Math.min(rows, start + 10_000); i++) insert.run(`kind-${i % 17}`, `${payload}${i}`, blob, i / 7);
    });
  }
  source.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  const databaseBytes = (await stat(join(dir, "source.sqlite"))).size;
  const db = createD1Database({ database: source });
  const target = createD1Database({ database: engine.open(join(dir, "target.sqlite")) });
  const file = join(dir, "export.sql");

  globalThis.gc?.();
  await new Promise((resolve) => setTimeout(resolve, 50));
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);

  let started = performance.now();
  await pipeline(Readable.from(exportD1(db)), createWriteStream(file));
  const exportMs = performance.now() - started;
  const exportPeak = Math.max(peak, process.memoryUsage.rss());

  globalThis.gc?.();
  peak = process.memoryUsage.rss();
  started = performance.now();
  const imported = await importD1(target, createReadStream(file));
  const importMs = performance.now() - started;
  const importPeak = Math.max(peak, process.memoryUsage.rss());
  clearInterval(timer);

  const count = await target.prepare("SELECT count(*) AS n FROM events").first("n");
  if (count !== rows || imported.statements !== rows + 2) throw new Error(`imported ${String(count)} of ${rows} rows`);
  const sqlBytes = (await stat(file)).size;
  process.stdout.write(JSON.stringify({ baseline, exportPeak, importPeak, exportMs, importMs, rows, sqlBytes, databaseBytes }));
} finally {
  await rm(dir, { recursive: true, force: true });
}
