import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serialize } from "node:v8";
import Database from "better-sqlite3";
import { createDurableObjectNamespace } from "@cellar/durable-objects";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";
import { race, reportComparison } from "./report.ts";

const ops = (count: number, ms: number): number => (count / ms) * 1000;

/**
 * Durable Object storage on a better-sqlite3 file against raw better-sqlite3 on a table of the
 * same shape with the same V8 serialization: awaited put (one commit each), get, and a burst of
 * 1,000 coalesced puts (one implicit transaction) against 1,000 inserts in one transaction.
 */
export async function benchDurableObjects(count = 1000, rounds = 3): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "cellar-bench-do-"));
  try {
    const raw = new Database(join(dir, "raw.sqlite"));
    raw.pragma("journal_mode = WAL");
    raw.pragma("synchronous = NORMAL");
    raw.exec("CREATE TABLE kv (key TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID");
    const insert = raw.prepare("INSERT INTO kv VALUES(?, ?) ON CONFLICT DO UPDATE SET value = excluded.value");
    const select = raw.prepare("SELECT value FROM kv WHERE key = ?").pluck();
    const putOne = raw.transaction((key: string, value: unknown) => insert.run(key, serialize(value)));
    const putBurst = raw.transaction(() => {
      for (let i = 0; i < count; i++) insert.run(`burst-${i}`, serialize({ i, text: "v".repeat(50) }));
    });

    const ns = createDurableObjectNamespace({ uniqueKey: "-Bench", engine: createSqliteEngine(), directory: dir });
    const storage = ns.get(ns.idFromName("bench")).storage;
    const value = (i: number) => ({ i, text: "v".repeat(50) });

    const puts = await race(
      rounds,
      async () => {
        for (let i = 0; i < count; i++) await storage.put(`key-${i}`, value(i));
      },
      () => {
        for (let i = 0; i < count; i++) putOne.immediate(`key-${i}`, value(i));
      },
    );
    reportComparison({ name: "do put, awaited (b-s3 file)", unit: "ops/s", ours: ops(count, puts.ours), raw: ops(count, puts.raw), rawLabel: "raw b-s3" });

    const gets = await race(
      rounds,
      async () => {
        for (let i = 0; i < count; i++) await storage.get(`key-${i}`);
      },
      () => {
        for (let i = 0; i < count; i++) select.get(`key-${i}`);
      },
    );
    reportComparison({ name: "do get (b-s3 file)", unit: "ops/s", ours: ops(count, gets.ours), raw: ops(count, gets.raw), rawLabel: "raw b-s3" });

    const bursts = await race(
      rounds,
      async () => {
        const writes: Promise<void>[] = [];
        for (let i = 0; i < count; i++) writes.push(storage.put(`burst-${i}`, value(i)));
        await Promise.all(writes);
      },
      () => putBurst.immediate(),
    );
    reportComparison({ name: `do burst of ${count} coalesced puts (b-s3 file)`, unit: "ops/s", ours: ops(count, bursts.ours), raw: ops(count, bursts.raw), rawLabel: "raw 1 txn" });

    const syncKv = await race(
      rounds,
      () => {
        for (let i = 0; i < count; i++) storage.kv.get(`key-${i}`);
      },
      () => {
        for (let i = 0; i < count; i++) select.get(`key-${i}`);
      },
    );
    reportComparison({ name: "do kv.get, synchronous (b-s3 file)", unit: "ops/s", ours: ops(count, syncKv.ours), raw: ops(count, syncKv.raw), rawLabel: "raw b-s3" });
    await ns.close();
    raw.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
