import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { SqlEngine } from "@cellar/metadata-store";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";
import { createWasmEngine } from "@cellar/metadata-store-wasm";
import { race, reportComparison } from "./report.ts";

const SCHEMA = "CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value BLOB, expiration INTEGER)";
const INSERT = "INSERT OR REPLACE INTO entries (key, value, expiration) VALUES (?, ?, ?)";
const SELECT = "SELECT key, value, expiration FROM entries WHERE key = ?";

/**
 * Inserts (one transaction each, the pattern of a KV put) and primary-key selects through
 * `@cellar/metadata-store-sqlite` vs raw better-sqlite3 on the same schema and pragmas; then the
 * wasm engine vs the native one.
 */
export async function benchSqlite(count = 20_000, rounds = 3): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "cellar-bench-sql-"));
  try {
    const value = Buffer.alloc(100, 7);
    const native = createSqliteEngine();
    const ours = native.open(join(dir, "ours.sqlite"));
    ours.exec(SCHEMA);
    const raw = new Database(join(dir, "raw.sqlite"));
    raw.pragma("journal_mode = WAL");
    raw.pragma("synchronous = NORMAL");
    raw.exec(SCHEMA);

    const oursInsert = ours.prepare(INSERT);
    const rawInsert = raw.prepare(INSERT);
    const autocommit = await race(
      rounds,
      () => {
        for (let i = 0; i < count; i++) oursInsert.run(`key-${i}`, value, null);
      },
      () => {
        for (let i = 0; i < count; i++) rawInsert.run(`key-${i}`, value, null);
      },
    );
    reportComparison({ name: "sqlite insert (autocommit, file)", unit: "ops/s", ours: count / (autocommit.ours / 1000), raw: count / (autocommit.raw / 1000), rawLabel: "raw b-s3", target: 0.9 });

    const rawTransaction = raw.transaction((key: string) => rawInsert.run(key, value, null));
    const transactional = await race(
      rounds,
      () => {
        for (let i = 0; i < count; i++) ours.transaction(() => oursInsert.run(`key-${i}`, value, null));
      },
      () => {
        for (let i = 0; i < count; i++) rawTransaction.immediate(`key-${i}`);
      },
    );
    reportComparison({ name: "sqlite insert (transaction each, file)", unit: "ops/s", ours: count / (transactional.ours / 1000), raw: count / (transactional.raw / 1000), rawLabel: "raw b-s3", target: 0.9 });

    const oursSelect = ours.prepare(SELECT);
    const rawSelect = raw.prepare(SELECT);
    const select = await race(
      rounds,
      () => {
        for (let i = 0; i < count; i++) if (oursSelect.get(`key-${i}`) === undefined) throw new Error("missing row");
      },
      () => {
        for (let i = 0; i < count; i++) if (rawSelect.get(`key-${i}`) === undefined) throw new Error("missing row");
      },
    );
    reportComparison({ name: "sqlite select by primary key", unit: "ops/s", ours: count / (select.ours / 1000), raw: count / (select.raw / 1000), rawLabel: "raw b-s3", target: 0.9 });
    ours.close();
    raw.close();

    const wasm = await createWasmEngine();
    for (const [label, location] of [
      [":memory:", ":memory:"],
      ["file", join(dir, "wasm.sqlite")],
    ] as const) {
      const n = label === "file" ? Math.min(count, 2000) : count;
      const nativeLocation = location === ":memory:" ? ":memory:" : join(dir, "native-vs-wasm.sqlite");
      const result = await compareEngines(wasm, native, location, nativeLocation, n, value);
      reportComparison({ name: `wasm vs native: insert+flush (${label})`, unit: "ops/s", ours: n / (result.insert.ours / 1000), raw: n / (result.insert.raw / 1000), rawLabel: "native  " });
      reportComparison({ name: `wasm vs native: select (${label})`, unit: "ops/s", ours: n / (result.select.ours / 1000), raw: n / (result.select.raw / 1000), rawLabel: "native  " });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Each insert is its own transaction followed by an awaited flush, as a gateway write does. */
async function compareEngines(wasm: SqlEngine, native: SqlEngine, wasmLocation: string, nativeLocation: string, n: number, value: Uint8Array) {
  const a = wasm.open(wasmLocation);
  const b = native.open(nativeLocation);
  a.exec(SCHEMA);
  b.exec(SCHEMA);
  const insertA = a.prepare(INSERT);
  const insertB = b.prepare(INSERT);
  const insert = await race(
    1,
    async () => {
      for (let i = 0; i < n; i++) {
        a.transaction(() => insertA.run(`key-${i}`, value, null));
        await a.flush();
      }
    },
    async () => {
      for (let i = 0; i < n; i++) {
        b.transaction(() => insertB.run(`key-${i}`, value, null));
        await b.flush();
      }
    },
  );
  const selectA = a.prepare(SELECT);
  const selectB = b.prepare(SELECT);
  const select = await race(
    2,
    () => {
      for (let i = 0; i < n; i++) selectA.get(`key-${i}`);
    },
    () => {
      for (let i = 0; i < n; i++) selectB.get(`key-${i}`);
    },
  );
  a.close();
  b.close();
  return { insert, select };
}
