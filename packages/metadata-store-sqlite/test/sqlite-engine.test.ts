import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SqlError, type SqlDatabase } from "@cellar/metadata-store";
import { SQLITE_ENGINE_CAPABILITIES, createSqliteEngine } from "../src/index.js";

let dir: string;
const opened: SqlDatabase[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "cellar-sqlite-"));
});
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
  rmSync(dir, { recursive: true, force: true });
});

function open(location: string, options?: Parameters<typeof createSqliteEngine>[0]): SqlDatabase {
  const db = createSqliteEngine(options).open(location);
  opened.push(db);
  return db;
}

function pragma(db: SqlDatabase, name: string): unknown {
  return db.prepare(`PRAGMA ${name}`).raw().get()?.[0];
}

function thrown(fn: () => unknown): SqlError {
  try {
    fn();
  } catch (error) {
    return error as SqlError;
  }
  throw new Error("did not throw");
}

describe("createSqliteEngine", () => {
  it("declares its name and capabilities", () => {
    const engine = createSqliteEngine();
    expect(engine.name).toBe("better-sqlite3");
    expect(engine.capabilities).toEqual({ persistent: true, multiProcess: true, strictDurability: true, walFiles: true });
    expect(engine.capabilities).toBe(SQLITE_ENGINE_CAPABILITIES);
  });

  it("rejects invalid options with TypeError", () => {
    expect(() => createSqliteEngine({ durability: "fast" as "normal" })).toThrow(TypeError);
    expect(() => createSqliteEngine({ busyTimeoutMs: -1 })).toThrow(TypeError);
    expect(() => createSqliteEngine({ busyTimeoutMs: 1.5 })).toThrow(TypeError);
  });

  it("opens files in WAL mode with synchronous=NORMAL, a 5 s busy timeout and foreign keys on", () => {
    const db = open(join(dir, "a.sqlite"));
    expect(pragma(db, "journal_mode")).toBe("wal");
    expect(pragma(db, "synchronous")).toBe(1);
    expect(pragma(db, "busy_timeout")).toBe(5000);
    expect(pragma(db, "foreign_keys")).toBe(1);
    expect(pragma(db, "page_size")).toBe(4096);
  });

  it("strict durability sets synchronous=FULL; busyTimeoutMs sets the busy timeout", () => {
    const db = open(join(dir, "b.sqlite"), { durability: "strict", busyTimeoutMs: 250 });
    expect(pragma(db, "synchronous")).toBe(2);
    expect(pragma(db, "busy_timeout")).toBe(250);
  });

  it("keeps the page size of an existing file, and switches it to WAL", () => {
    const file = join(dir, "pages.sqlite");
    const raw = new Database(file);
    raw.pragma("page_size = 8192");
    raw.exec("CREATE TABLE t (a)");
    raw.close();
    const db = open(file);
    expect(pragma(db, "page_size")).toBe(8192);
    expect(pragma(db, "journal_mode")).toBe("wal");
  });

  it("opens :memory: databases that are private to each open", () => {
    const a = open(":memory:");
    const b = open(":memory:");
    a.exec("CREATE TABLE t (x)");
    expect(b.prepare("SELECT count(*) AS n FROM sqlite_master").get()).toEqual({ n: 0 });
    expect(pragma(a, "journal_mode")).toBe("memory");
  });

  it("refuses a file in a missing directory with ERR_SQL_IO and creates nothing", () => {
    const error = thrown(() => open(join(dir, "missing", "a.sqlite")));
    expect(error.code).toBe("ERR_SQL_IO");
    expect(error.message).toContain("does not exist");
    expect(existsSync(join(dir, "missing"))).toBe(false);
  });

  it("refuses a file that is not a database with ERR_SQL_CORRUPT", () => {
    const file = join(dir, "garbage.sqlite");
    writeFileSync(file, "this is not a database file, not at all".repeat(200));
    const error = thrown(() => open(file));
    expect(error.code).toBe("ERR_SQL_CORRUPT");
    expect(error.sqliteCode).toBe("SQLITE_NOTADB");
  });

  it("remove() deletes the file and its -wal and -shm", () => {
    const engine = createSqliteEngine();
    const file = join(dir, "removed.sqlite");
    const db = engine.open(file);
    db.exec("CREATE TABLE t (x); INSERT INTO t VALUES (1);");
    const other = engine.open(file); // keeps -wal/-shm in place after the first close
    db.close();
    other.close();
    writeFileSync(`${file}-wal`, "x");
    writeFileSync(`${file}-shm`, "x");
    engine.remove(file);
    for (const suffix of ["", "-wal", "-shm", "-journal"]) expect(existsSync(file + suffix)).toBe(false);
  });
});

describe("statements", () => {
  it("return BLOBs as Buffers (which are Uint8Arrays) and columns() as names only", () => {
    const db = open(":memory:");
    const statement = db.prepare("SELECT x'0102' AS b, 1 AS n");
    const row = statement.get() as { b: unknown };
    expect(Buffer.isBuffer(row.b)).toBe(true);
    expect(statement.columns()).toEqual([{ name: "b" }, { name: "n" }]);
  });

  it("map errors raised while iterating", () => {
    const db = open(":memory:");
    db.exec("CREATE TABLE t (a); INSERT INTO t VALUES (1), (2);");
    const rows = db.prepare("SELECT a, CASE WHEN a = 2 THEN abs(-9223372036854775807 - 1) END FROM t").iterate();
    expect(rows.next().done).toBe(false);
    const error = thrown(() => rows.next());
    expect(error).toBeInstanceOf(SqlError);
    expect(error.message).toBe("integer overflow");
  });

  it("a statement from a closed database throws DatabaseClosedError", () => {
    const db = createSqliteEngine().open(":memory:");
    const statement = db.prepare("SELECT 1");
    db.close();
    expect(thrown(() => statement.get()).code).toBe("ERR_SQL_CLOSED");
    expect(thrown(() => statement.columns()).code).toBe("ERR_SQL_CLOSED");
  });
});
