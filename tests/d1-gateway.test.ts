import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createD1Database, d1DatabasePath, formatBookmark } from "@cellar/d1";
import type { SqlDatabase } from "@cellar/metadata-store";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";

// What the conformance suite cannot ask of every D1: cellar's options and its handling of a
// database locked by another process (Q2).
let dir: string;
let file: string;
const opened: SqlDatabase[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "cellar-d1-gateway-"));
  file = d1DatabasePath(join(dir, "v3"), "DB");
  await mkdir(dirname(file), { recursive: true });
});
afterEach(async () => {
  for (const sql of opened.splice(0)) if (sql.open) sql.close();
  await rm(dir, { recursive: true, force: true });
});

function open(busyTimeoutMs = 5000): SqlDatabase {
  const sql = createSqliteEngine({ busyTimeoutMs }).open(file);
  opened.push(sql);
  return sql;
}

describe("createD1Database options", () => {
  it("refuses invalid options with TypeError", () => {
    const database = open();
    expect(() => createD1Database({} as never)).toThrow(TypeError);
    expect(() => createD1Database({ database, maxDatabaseSizeBytes: 0 })).toThrow(TypeError);
    expect(() => createD1Database({ database, busyRetryMs: -1 })).toThrow(TypeError);
    expect(() => createD1Database({ database, execSplitting: "words" as never })).toThrow(TypeError);
  });

  it('execSplitting: "statements" runs statements that span lines, naming the line each starts on', async () => {
    const db = createD1Database({ database: open(), execSplitting: "statements" });
    const result = await db.exec(
      "CREATE TABLE items (\n  name TEXT\n);\nCREATE TRIGGER t AFTER INSERT ON items BEGIN\n  SELECT 1;\nEND;\nINSERT INTO items\n  VALUES ('a');",
    );
    expect(result.count).toBe(3);
    await expect(db.exec("SELECT 1;\n\nSELECT *\n  FROM nope;")).rejects.toThrow("D1_EXEC_ERROR: Error in line 3: SELECT *\n  FROM nope;: no such table: nope: SQLITE_ERROR");
    expect(await db.prepare("SELECT count(*) AS n FROM items").first("n")).toBe(1);
  });

  it("continues the bookmark counter workerd keeps in _cf_METADATA, without writing it", async () => {
    const sql = open();
    sql.exec("CREATE TABLE _cf_METADATA (key INTEGER PRIMARY KEY, value BLOB); INSERT INTO _cf_METADATA VALUES (2, 41);");
    const session = createD1Database({ database: sql }).withSession();
    await session.prepare("SELECT 1").all();
    expect(session.getBookmark()).toBe(formatBookmark(42));
    expect(sql.prepare("SELECT value FROM _cf_METADATA WHERE key = 2").get()).toEqual({ value: 41 });
  });

  it("meta.changed_db is true for schema changes, which change the size but no rows", async () => {
    const db = createD1Database({ database: open() });
    expect((await db.prepare("CREATE TABLE a (v)").run()).meta).toMatchObject({ changes: 0, changed_db: true });
    expect((await db.prepare("CREATE TABLE IF NOT EXISTS a (v)").run()).meta).toMatchObject({ changes: 0, changed_db: false });
  });
});

describe("a database locked by another process (Q2)", () => {
  it("a request waits the lock out, retrying, and then succeeds", async () => {
    const holder = open();
    const db = createD1Database({ database: open(1), busyRetryMs: 5000 });
    await db.exec("CREATE TABLE t (v)");
    holder.exec("BEGIN IMMEDIATE");
    setTimeout(() => holder.exec("COMMIT"), 100);
    const started = performance.now();
    const result = await db.prepare("INSERT INTO t VALUES (1)").run();
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
    expect(result.meta["total_attempts"]).toBeGreaterThan(1);
  });

  it("requests made meanwhile wait their turn, in order", async () => {
    const holder = open();
    const db = createD1Database({ database: open(1), busyRetryMs: 5000 });
    await db.exec("CREATE TABLE t (v)");
    holder.exec("BEGIN IMMEDIATE");
    setTimeout(() => holder.exec("COMMIT"), 50);
    const order: number[] = [];
    await Promise.all([1, 2, 3].map((i) => db.prepare("INSERT INTO t VALUES (?)").bind(i).run().then(() => order.push(i))));
    expect(order).toEqual([1, 2, 3]);
    expect(await db.prepare("SELECT v FROM t ORDER BY rowid").raw()).toEqual([[1], [2], [3]]);
  });

  it("past busyRetryMs it fails with database is locked: SQLITE_BUSY, keeping nothing, and the process goes on", async () => {
    const holder = open();
    const db = createD1Database({ database: open(1), busyRetryMs: 100 });
    await db.exec("CREATE TABLE t (v)");
    holder.exec("BEGIN IMMEDIATE");
    try {
      await expect(db.batch([db.prepare("INSERT INTO t VALUES (1)"), db.prepare("INSERT INTO t VALUES (2)")])).rejects.toThrow(
        /^D1_ERROR: database is locked: SQLITE_BUSY$/,
      );
    } finally {
      holder.exec("COMMIT");
    }
    expect(await db.prepare("SELECT count(*) AS n FROM t").first("n")).toBe(0);
    await db.prepare("INSERT INTO t VALUES (3)").run();
  });
});
