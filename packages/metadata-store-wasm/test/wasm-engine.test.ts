import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SqlError, type SqlDatabase } from "@cellar/metadata-store";
import { WASM_ENGINE_CAPABILITIES, createWasmEngine, type WasmFileWrite } from "../src/index.js";
import { thrown } from "./thrown.ts";

let dir: string;
const opened: SqlDatabase[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "cellar-wasm-"));
});
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
  rmSync(dir, { recursive: true, force: true });
});

const engine = await createWasmEngine();

function open(location: string): SqlDatabase {
  const db = engine.open(location);
  opened.push(db);
  return db;
}

describe("createWasmEngine", () => {
  it("declares its name and capabilities, and validates options", async () => {
    expect(engine.name).toBe("sql.js");
    expect(engine.capabilities).toEqual({ persistent: true, multiProcess: false, strictDurability: true, walFiles: false });
    expect(engine.capabilities).toBe(WASM_ENGINE_CAPABILITIES);
    await expect(createWasmEngine({ durability: "fast" as "normal" })).rejects.toBeInstanceOf(TypeError);
    await expect(createWasmEngine({ onFileWrite: 1 as unknown as () => void })).rejects.toBeInstanceOf(TypeError);
  });

  it("creates a new file at open, with foreign keys on and 4096-byte pages", async () => {
    const writes: WasmFileWrite[] = [];
    const counting = await createWasmEngine({ onFileWrite: (write) => writes.push(write) });
    const file = join(dir, "new.sqlite");
    const db = counting.open(file);
    opened.push(db);
    expect(existsSync(file)).toBe(true);
    expect(writes).toEqual([{ location: file, bytes: 4096 }]);
    expect(db.prepare("PRAGMA foreign_keys").raw().get()).toEqual([1]);
    expect(db.prepare("PRAGMA page_size").raw().get()).toEqual([4096]);
  });

  it("refuses a missing directory (ERR_SQL_IO) and a file that is not a database (ERR_SQL_CORRUPT)", () => {
    expect(thrown(() => open(join(dir, "missing", "a.sqlite"))).code).toBe("ERR_SQL_IO");
    const garbage = join(dir, "garbage.sqlite");
    writeFileSync(garbage, "not a database ".repeat(500));
    const error = thrown(() => open(garbage));
    expect(error.code).toBe("ERR_SQL_CORRUPT");
    expect(error.sqliteCode).toBe("SQLITE_NOTADB");
    // The refused file can be opened once it is fixed: nothing was left registered as open.
    rmSync(garbage);
    expect(() => open(garbage)).not.toThrow();
  });

  it("refuses a second open of the same file in this process until the first is closed", () => {
    const file = join(dir, "once.sqlite");
    const db = open(file);
    const error = thrown(() => engine.open(join(dir, ".", "once.sqlite")));
    expect(error.code).toBe("ERR_SQL_MISUSE");
    expect(error.message).toContain("already open");
    db.close();
    expect(() => open(file)).not.toThrow();
  });

  it("remove() refuses an open file, and deletes the file and leftover temporary files", () => {
    const file = join(dir, "gone.sqlite");
    const db = open(file);
    expect(thrown(() => engine.remove(file)).code).toBe("ERR_SQL_MISUSE");
    db.close();
    writeFileSync(`${file}.cellar-tmp-abc123`, "left by a killed process");
    writeFileSync(join(dir, "other.sqlite.cellar-tmp-abc123"), "not ours");
    engine.remove(file);
    expect(readdirSync(dir)).toEqual(["other.sqlite.cellar-tmp-abc123"]);
  });
});

describe("sql.js export() (what flush() relies on)", () => {
  it("keeps prepared statements, running iterators and pragmas across a flush", async () => {
    const db = open(join(dir, "export.sqlite"));
    db.exec("CREATE TABLE parent (id INTEGER PRIMARY KEY); CREATE TABLE child (p INTEGER REFERENCES parent (id));");
    const insert = db.prepare("INSERT INTO parent VALUES (?)");
    for (let i = 1; i <= 3; i++) insert.run(i);
    const rows = db.prepare("SELECT id FROM parent ORDER BY id").iterate();
    expect(rows.next().value).toEqual({ id: 1 });
    await db.flush();
    expect(rows.next().value).toEqual({ id: 2 });
    rows.return?.();
    insert.run(4);
    await db.flush();
    expect(db.prepare("PRAGMA foreign_keys").raw().get()).toEqual([1]);
    expect(thrown(() => db.prepare("INSERT INTO child VALUES (99)").run()).sqliteCode).toBe("SQLITE_CONSTRAINT_FOREIGNKEY");
    expect(db.prepare("SELECT count(*) AS n FROM parent").get()).toEqual({ n: 4 });
  });
});

describe("flush()", () => {
  it("waits for a transaction begun with exec('BEGIN') and never writes its uncommitted rows", async () => {
    const writes: WasmFileWrite[] = [];
    const counting = await createWasmEngine({ onFileWrite: (write) => writes.push(write) });
    const db = counting.open(join(dir, "manual.sqlite"));
    opened.push(db);
    db.exec("CREATE TABLE t (v)");
    await db.flush();
    const before = writes.length;
    db.exec("BEGIN; INSERT INTO t VALUES ('pending');");
    let resolved = false;
    const flushed = db.flush().then(() => (resolved = true));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(resolved).toBe(false);
    expect(writes).toHaveLength(before);
    db.exec("COMMIT");
    await flushed;
    expect(writes).toHaveLength(before + 1);
  });

  it("close() during a flush writes everything synchronously and the flush still resolves", async () => {
    const file = join(dir, "closing.sqlite");
    const db = engine.open(file);
    db.exec("CREATE TABLE t (v)");
    db.prepare("INSERT INTO t VALUES (1)").run();
    const flushed = db.flush();
    db.prepare("INSERT INTO t VALUES (2)").run();
    db.close();
    await flushed;
    const again = open(file);
    expect(again.prepare("SELECT count(*) AS n FROM t").get()).toEqual({ n: 2 });
  });
});

describe("parameters and values", () => {
  it("binds ?NNN by name, like better-sqlite3, and reports missing names", () => {
    const db = open(":memory:");
    expect(db.prepare("SELECT ?1 AS a, ?1 + 1 AS b").get({ 1: 5 })).toEqual({ a: 5, b: 6 });
    const error = thrown(() => db.prepare("SELECT :a AS a").get({ b: 1 }));
    expect(error.code).toBe("ERR_SQL_RANGE");
    expect(error.message).toBe('Missing named parameter "a"');
  });

  it("reports the primary-key kind of UNIQUE failures, as native SQLite does", () => {
    const db = open(":memory:");
    db.exec("CREATE TABLE t (k TEXT PRIMARY KEY, u TEXT UNIQUE); INSERT INTO t VALUES ('a', 'x');");
    expect(thrown(() => db.exec("INSERT INTO t VALUES ('a', 'y')")).sqliteCode).toBe("SQLITE_CONSTRAINT_PRIMARYKEY");
    expect(thrown(() => db.exec("INSERT INTO t VALUES ('b', 'x')")).sqliteCode).toBe("SQLITE_CONSTRAINT_UNIQUE");
  });

  it("a statement is busy while iterated", () => {
    const db = open(":memory:");
    const statement = db.prepare("SELECT 1 AS x UNION ALL SELECT 2");
    const rows = statement.iterate();
    rows.next();
    expect(thrown(() => statement.get()).code).toBe("ERR_SQL_MISUSE");
    rows.return?.();
    expect(statement.get()).toEqual({ x: 1 });
  });
});
