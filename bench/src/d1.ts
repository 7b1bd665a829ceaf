import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { createD1Database } from "@cellar/d1";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";
import { race, reportComparison, reportFigure } from "./report.ts";
import { MiB } from "./sources.ts";
import { childNodeOptions } from "./child-node-options.ts";

const SCHEMA = "CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT, score REAL)";
const INSERT = "INSERT INTO users (id, email, name, score) VALUES (?, ?, ?, ?)";
const SELECT = "SELECT id, email, name, score FROM users WHERE id = ?";

/**
 * D1 through `@cellar/d1` against raw better-sqlite3 on the same schema and pragmas (WAL,
 * synchronous=NORMAL), in the same run: single-row inserts (one request, so one transaction,
 * each) and primary-key selects (target >= 0.8x), a 1,000-statement batch, and export/import of
 * a 100 MB database with its peak RSS measured in a child process.
 */
export async function benchD1(count = 5000, rounds = 5): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "cellar-bench-d1-"));
  try {
    const sql = createSqliteEngine().open(join(dir, "d1.sqlite"));
    const db = createD1Database({ database: sql });
    await db.exec(SCHEMA);
    const raw = new Database(join(dir, "raw.sqlite"));
    raw.pragma("journal_mode = WAL");
    raw.pragma("synchronous = NORMAL");
    raw.exec(SCHEMA);

    const d1Insert = db.prepare(INSERT);
    const rawInsert = raw.prepare(INSERT);
    let base = 0;
    const inserts = await race(
      rounds,
      async () => {
        base += count;
        for (let i = 0; i < count; i++) await d1Insert.bind(base + i, `user${i}@example.com`, "name", i / 3).run();
      },
      () => {
        for (let i = 0; i < count; i++) rawInsert.run(base + i, `user${i}@example.com`, "name", i / 3);
      },
    );
    reportComparison({ name: "d1 insert one row per request (file)", unit: "ops/s", ours: count / (inserts.ours / 1000), raw: count / (inserts.raw / 1000), rawLabel: "raw b-s3", target: 0.8 });
    // The same work as D1 semantics ask for it: one transaction per request.
    const rawTransaction = raw.transaction((id: number, i: number) => rawInsert.run(id, `user${i}@example.com`, "name", i / 3));
    const transactional = await race(
      rounds,
      async () => {
        base += count;
        for (let i = 0; i < count; i++) await d1Insert.bind(base + i, `user${i}@example.com`, "name", i / 3).run();
      },
      () => {
        for (let i = 0; i < count; i++) rawTransaction.immediate(base + i + 50_000_000, i);
      },
    );
    reportComparison({ name: "d1 insert vs raw transaction-per-insert", unit: "ops/s", ours: count / (transactional.ours / 1000), raw: count / (transactional.raw / 1000), rawLabel: "raw b-s3" });

    const d1Select = db.prepare(SELECT);
    const rawSelect = raw.prepare(SELECT);
    const selects = await race(
      rounds,
      async () => {
        for (let i = 0; i < count; i++) if ((await d1Select.bind(count + i).first()) === null) throw new Error("missing row");
      },
      () => {
        for (let i = 0; i < count; i++) if (rawSelect.get(count + i) === undefined) throw new Error("missing row");
      },
    );
    reportComparison({ name: "d1 select by primary key", unit: "ops/s", ours: count / (selects.ours / 1000), raw: count / (selects.raw / 1000), rawLabel: "raw b-s3", target: 0.8 });

    const batchSize = 1000;
    let next = 10_000_000;
    const rawBatch = raw.transaction((start: number) => {
      for (let i = 0; i < batchSize; i++) rawInsert.run(start + i, "batch@example.com", null, i);
    });
    const batches = await race(
      rounds,
      async () => {
        const start = (next += batchSize);
        await db.batch(Array.from({ length: batchSize }, (_, i) => d1Insert.bind(start + i, "batch@example.com", null, i)));
      },
      () => rawBatch.immediate((next += batchSize) + 5_000_000),
    );
    reportComparison({ name: "d1 batch of 1,000 inserts", unit: "stmt/s", ours: batchSize / (batches.ours / 1000), raw: batchSize / (batches.raw / 1000), rawLabel: "raw b-s3" });
    sql.close();
    raw.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  await benchExportImport(100);
}

/** Export and import of a database of `sizeMiB`, in a child process that samples its RSS. */
async function benchExportImport(sizeMiB: number): Promise<void> {
  const child = fileURLToPath(new URL("./d1-rss-child.ts", import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, [...childNodeOptions(), child, String(sizeMiB * MiB)], {
    maxBuffer: 1 << 20,
  });
  const result = JSON.parse(stdout) as Record<string, number>;
  const baseline = result["baseline"]!;
  for (const phase of ["export", "import"] as const) {
    const ms = result[`${phase}Ms`]!;
    const peak = (result[`${phase}Peak`]! - baseline) / MiB;
    reportFigure({
      name: `d1 ${phase} of a ${sizeMiB} MiB database`,
      value: `${(ms / 1000).toFixed(1)} s, ${((result["sqlBytes"]! / MiB) / (ms / 1000)).toFixed(1)} MiB/s of SQL, peak RSS ${peak.toFixed(1)} MiB above baseline (${(baseline / MiB).toFixed(0)} MiB)`,
      note: `${result["rows"]} rows, database ${(result["databaseBytes"]! / MiB).toFixed(0)} MiB, ${(result["sqlBytes"]! / MiB).toFixed(0)} MiB of SQL`,
    });
  }
}
