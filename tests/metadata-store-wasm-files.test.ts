import { copyFile, readFile, rm, writeFile } from "node:fs/promises";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SqlError } from "@cellar/metadata-store";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";
import { createWasmEngine, type WasmFileWrite } from "@cellar/metadata-store-wasm";
import { makeTempDir } from "./support/metadata-store-fixtures.ts";

// The wasm engine's files, seen from outside: group commit, atomic replacement, and
// compatibility with native SQLite (and so with `wrangler dev`) in both directions.
let dir: string;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const native = createSqliteEngine();

describe("group commit", () => {
  it("N concurrent flushes cost one file write, or two when a write is already in flight", async () => {
    const writes: WasmFileWrite[] = [];
    const engine = await createWasmEngine({ onFileWrite: (write) => writes.push(write) });
    const file = join(dir, "group.sqlite");
    const db = engine.open(file);
    expect(writes).toHaveLength(1); // the new file is created at open
    db.exec("CREATE TABLE t (i INTEGER)");
    const insert = db.prepare("INSERT INTO t VALUES (?)");

    for (let i = 0; i < 5; i++) db.transaction(() => insert.run(i));
    await Promise.all(Array.from({ length: 10 }, () => db.flush()));
    expect(writes).toHaveLength(2);

    // A write in flight, then more commits and flushes: they share one queued write.
    db.transaction(() => insert.run(100));
    const inFlight = db.flush();
    await Promise.resolve();
    await Promise.resolve();
    const later: Promise<void>[] = [];
    for (let i = 0; i < 10; i++) {
      db.transaction(() => insert.run(200 + i));
      later.push(db.flush());
    }
    await Promise.all([inFlight, ...later]);
    expect(writes.length - 2).toBeGreaterThanOrEqual(1);
    expect(writes.length - 2).toBeLessThanOrEqual(2);
    expect(writes.every((write) => write.location === file)).toBe(true);

    // Nothing changed: no write. Reads change nothing either.
    const before = writes.length;
    await db.flush();
    db.prepare("SELECT count(*) FROM t").get();
    await db.flush();
    expect(writes).toHaveLength(before);
    db.close();
    expect(writes).toHaveLength(before);
  });

  it("once flush() resolves, a fresh engine reading a copy of the file sees the transaction", async () => {
    const engine = await createWasmEngine();
    const file = join(dir, "fresh.sqlite");
    const db = engine.open(file);
    db.exec("CREATE TABLE t (v TEXT)");
    db.transaction(() => db.prepare("INSERT INTO t VALUES ('flushed')").run());
    await db.flush();
    // A copy stands in for another process: this process may not open the file twice.
    const copy = join(dir, "copy.sqlite");
    await copyFile(file, copy);
    const fresh = (await createWasmEngine()).open(copy);
    expect(fresh.prepare("SELECT v FROM t").all()).toEqual([{ v: "flushed" }]);
    fresh.close();
    db.close();
  });

  it("the file on disk is always a whole, valid database while writes continue", async () => {
    const engine = await createWasmEngine();
    const file = join(dir, "torn.sqlite");
    const db = engine.open(file);
    db.exec("CREATE TABLE t (i INTEGER, pad BLOB)");
    const insert = db.prepare("INSERT INTO t VALUES (?, randomblob(2000))");
    let writing = true;
    const snapshots: Buffer[] = [];
    const reader = (async () => {
      while (writing) snapshots.push(await readFile(file));
    })();
    const flushes: Promise<void>[] = [];
    for (let round = 0; round < 40; round++) {
      db.transaction(() => {
        for (let i = 0; i < 20; i++) insert.run(round * 20 + i);
      });
      flushes.push(db.flush());
      if (round % 4 === 0) await flushes.at(-1);
    }
    await Promise.all(flushes);
    writing = false;
    await reader;
    db.close();
    expect(snapshots.length).toBeGreaterThan(5);
    for (const snapshot of snapshots) {
      expect(snapshot.subarray(0, 16).toString("latin1")).toBe("SQLite format 3\u0000");
      const pageSize = snapshot.readUInt16BE(16);
      expect(snapshot.length).toBe(pageSize * snapshot.readUInt32BE(28));
    }
    // Spot-check a few snapshots from the middle of the run with native SQLite.
    for (const snapshot of [snapshots[1], snapshots[Math.floor(snapshots.length / 2)], snapshots.at(-1)]) {
      const copy = join(dir, `snapshot-${Math.random().toString(16).slice(2)}.sqlite`);
      await writeFile(copy, snapshot as Buffer);
      const check = native.open(copy);
      expect(check.prepare("PRAGMA integrity_check").raw().get()).toEqual(["ok"]);
      check.close();
    }
  });
});

describe("compatibility with native SQLite", () => {
  it("a file the wasm engine wrote opens in better-sqlite3, in WAL mode, intact", async () => {
    const engine = await createWasmEngine();
    const file = join(dir, "from-wasm.sqlite");
    const db = engine.open(file);
    db.exec("CREATE TABLE t (k TEXT PRIMARY KEY, v BLOB); CREATE INDEX t_v ON t (v);");
    db.prepare("INSERT INTO t VALUES (?, ?)").run("key", new Uint8Array([1, 2, 3]));
    await db.flush();
    db.close();
    const header = readFileSync(file).subarray(0, 100);
    expect([header[18], header[19]]).toEqual([2, 2]); // WAL, as wrangler dev keeps its files
    expect(header.readUInt16BE(16)).toBe(4096);
    const reader = native.open(file);
    expect(reader.prepare("PRAGMA journal_mode").raw().get()).toEqual(["wal"]);
    expect(reader.prepare("PRAGMA integrity_check").raw().get()).toEqual(["ok"]);
    expect(reader.prepare<{ k: string; v: Uint8Array }>("SELECT k, v FROM t").get()).toEqual({ k: "key", v: Buffer.from([1, 2, 3]) });
    reader.prepare("INSERT INTO t VALUES ('native', NULL)").run();
    reader.close();
    const back = engine.open(file);
    expect(back.prepare("SELECT k FROM t ORDER BY k").raw().all()).toEqual([["key"], ["native"]]);
    back.close();
  });

  it("a better-sqlite3 WAL file, checkpointed on close, opens in the wasm engine and takes writes", async () => {
    const file = join(dir, "from-native.sqlite");
    const writer = native.open(file);
    writer.exec("CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('native');");
    writer.close();
    expect(readFileSync(file)[18]).toBe(2);
    const engine = await createWasmEngine();
    const db = engine.open(file);
    expect(db.prepare("SELECT v FROM t").all()).toEqual([{ v: "native" }]);
    db.prepare("INSERT INTO t VALUES ('wasm')").run();
    db.close();
    const reader = native.open(file);
    expect(reader.prepare("SELECT v FROM t ORDER BY v").raw().all()).toEqual([["native"], ["wasm"]]);
    reader.close();
  });

  it("a file with un-checkpointed -wal content is refused with ERR_SQL_WAL_PRESENT, never half-read", async () => {
    const file = join(dir, "pending-wal.sqlite");
    const writer = native.open(file);
    writer.exec("CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('only in the wal');");
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(0);
    const engine = await createWasmEngine();
    let error: unknown;
    try {
      engine.open(file);
    } catch (caught) {
      error = caught;
    }
    expect((error as SqlError | undefined)?.code).toBe("ERR_SQL_WAL_PRESENT");
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toMatch(/native engine/);
    writer.close();
    const db = engine.open(file);
    expect(db.prepare("SELECT v FROM t").all()).toEqual([{ v: "only in the wal" }]);
    db.close();
  });
});
