import { createReadStream, createWriteStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { afterEach, describe, expect, it } from "vitest";
import { D1ImportError, exportD1, importD1, type CellarD1Database } from "@cellar/d1";
import { openD1, type OpenedD1 } from "./support/d1-fixtures.ts";
import type { Backend } from "./support/backends.ts";

const NATIVE_FILE: Backend = { blobs: "memory", engine: "native", database: "file" };
const WASM_MEMORY: Backend = { blobs: "memory", engine: "wasm", database: "memory" };

const opened: OpenedD1[] = [];
async function open(backend: Backend = NATIVE_FILE, options: Parameters<typeof openD1>[1] = {}): Promise<OpenedD1> {
  const d1 = await openD1(backend, options);
  opened.push(d1);
  return d1;
}
afterEach(async () => {
  for (const d1 of opened.splice(0)) await d1.cleanup();
});

async function text(db: CellarD1Database, options: Parameters<typeof exportD1>[1] = {}): Promise<string> {
  let out = "";
  for await (const chunk of exportD1(db, options)) out += chunk;
  return out;
}

/** Every value type and schema object the export has to carry. */
async function seed(db: CellarD1Database): Promise<void> {
  await db.exec(
    [
      "CREATE TABLE people (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT, photo BLOB, height REAL, anything);",
      "CREATE TABLE pets (owner INTEGER REFERENCES people (id), name TEXT);",
      "CREATE INDEX pets_owner ON pets (owner);",
      "CREATE VIEW tall AS SELECT name FROM people WHERE height > 1.8;",
      "CREATE TRIGGER people_pet AFTER INSERT ON people WHEN new.name = 'rex owner' BEGIN INSERT INTO pets VALUES (new.id, 'rex'); END;",
    ].join("\n"),
  );
  const person = db.prepare("INSERT INTO people (name, photo, height, anything) VALUES (?, ?, ?, ?)");
  await db.batch([
    person.bind("it's\nme\r\n\\n literal", new Uint8Array([0, 1, 255]), 1.75, 2.0),
    person.bind("rex owner", new Uint8Array(0), 1.9, "text"),
    person.bind(null, null, null, null),
    person.bind("é日本語 👩‍🚀 \u0000 nul", [7], -0.5, 1e300),
  ]);
  await db.prepare("INSERT INTO people (id, anything) VALUES (9007199254740993, 9007199254740993)").run();
}

async function contents(db: CellarD1Database): Promise<unknown[]> {
  const queries = [
    "SELECT id, name, hex(photo), height, anything, typeof(anything) FROM people ORDER BY id",
    "SELECT CAST(id AS TEXT), CAST(anything AS TEXT) FROM people WHERE id > 1000",
    "SELECT * FROM pets",
    "SELECT type, name, sql FROM sqlite_schema ORDER BY name",
    "SELECT * FROM sqlite_sequence",
  ];
  return Promise.all(queries.map((sql) => db.prepare(sql).raw()));
}

describe("exportD1", () => {
  it("writes the export PRAGMA's statements, one per line", async () => {
    const { db } = await open();
    await seed(db);
    const statements = (await db.prepare("PRAGMA miniflare_d1_export(?,?,?);").bind(0, 0).raw())[0] as string[];
    expect(await text(db)).toBe(statements.map((statement) => `${statement}\n`).join(""));
    expect(await text(db, { noData: true, tables: ["pets"] })).toBe("PRAGMA defer_foreign_keys=TRUE;\nCREATE TABLE pets (owner INTEGER REFERENCES people (id), name TEXT);\n");
  });

  it("can list the columns in each INSERT, as the newest workers-sdk does", async () => {
    const { db } = await open();
    await db.exec('CREATE TABLE t (a, "b c")');
    await db.prepare("INSERT INTO t VALUES (1, 'x')").run();
    expect(await text(db, { columnNames: true, noSchema: true })).toBe('PRAGMA defer_foreign_keys=TRUE;\nINSERT INTO "t" ("a","b c") VALUES(1,\'x\');\n');
  });

  it("streams in chunks of whole statements", async () => {
    const { db } = await open();
    await db.exec("CREATE TABLE t (v TEXT)");
    const insert = db.prepare("INSERT INTO t VALUES (?)");
    await db.batch(Array.from({ length: 500 }, (_, i) => insert.bind(`row ${i} ${"x".repeat(100)}`)));
    const chunks: string[] = [];
    for await (const chunk of exportD1(db, { chunkSize: 4096 })) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(10);
    for (const chunk of chunks) expect(chunk.endsWith(";\n")).toBe(true);
  });

  it("holds other requests until it ends, and exports one snapshot", async () => {
    const { db } = await open();
    await db.exec("CREATE TABLE t (v INTEGER)");
    await db.batch(Array.from({ length: 300 }, (_, i) => db.prepare("INSERT INTO t VALUES (?)").bind(i)));
    const iterator = exportD1(db, { chunkSize: 256 })[Symbol.asyncIterator]();
    let exported = (await iterator.next()).value as string;
    let written = false;
    const write = db.prepare("INSERT INTO t VALUES (-1)").run().then(() => (written = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(written).toBe(false);
    for (let step = await iterator.next(); step.done !== true; step = await iterator.next()) exported += step.value;
    await write;
    expect(exported).not.toContain("VALUES(-1)");
    expect(exported.match(/^INSERT/gm)).toHaveLength(300);
    expect(await db.prepare("SELECT count(*) AS n FROM t").first("n")).toBe(301);
  });

  it("a stopped export releases the database", async () => {
    const { db } = await open();
    await db.exec("CREATE TABLE t (v INTEGER)");
    await db.batch(Array.from({ length: 100 }, (_, i) => db.prepare("INSERT INTO t VALUES (?)").bind(i)));
    for await (const _chunk of exportD1(db, { chunkSize: 64 })) break;
    expect(await db.prepare("INSERT INTO t VALUES (1) RETURNING v").first("v")).toBe(1);
  });

  it("refuses a database with a virtual table, and anything but a cellar D1 database", async () => {
    const { db } = await open();
    await db.exec("CREATE VIRTUAL TABLE docs USING fts5(body)");
    await expect(text(db)).rejects.toThrow("D1 Export error: cannot export databases with Virtual Tables (fts5)");
    expect(() => exportD1({} as CellarD1Database)).toThrow(TypeError);
  });
});

describe("importD1", () => {
  for (const backend of [NATIVE_FILE, WASM_MEMORY]) {
    it(`export then import reproduces every value and schema object (${backend.engine})`, async () => {
      const source = await open(backend);
      await seed(source.db);
      const target = await open(backend);
      const result = await importD1(target.db, await text(source.db));
      expect(result.statements).toBeGreaterThan(10);
      expect(await contents(target.db)).toEqual(await contents(source.db));
    });
  }

  it("reads a file stream in chunks cut anywhere, reporting progress", async () => {
    const source = await open();
    await source.db.exec("CREATE TABLE t (v TEXT)");
    const insert = source.db.prepare("INSERT INTO t VALUES (?)");
    await source.db.batch(Array.from({ length: 200 }, (_, i) => insert.bind(`é${i}; it's\n-- not a comment`)));
    const file = join(source.dir, "export.sql");
    await pipeline(Readable.from(exportD1(source.db)), createWriteStream(file));
    const target = await open();
    const progress: { bytes: number; statements: number }[] = [];
    const result = await importD1(target.db, createReadStream(file, { highWaterMark: 7 }), { batchSize: 2000, onProgress: (p) => progress.push(p) });
    const size = (await readFile(file)).byteLength;
    expect(result).toMatchObject({ statements: 202, bytes: size });
    expect(progress.length).toBeGreaterThan(3);
    expect(progress.at(-1)).toEqual({ bytes: size, statements: 202 });
    for (let i = 1; i < progress.length; i++) expect(progress[i]!.statements).toBeGreaterThanOrEqual(progress[i - 1]!.statements);
    expect(await target.db.prepare("SELECT count(*) AS n, min(v) AS first FROM t").first()).toEqual({ n: 200, first: "é0; it's\n-- not a comment" });
  });

  it("is one transaction: a failing statement keeps nothing and names its line", async () => {
    const { db } = await open();
    const sql = "CREATE TABLE a (v);\nINSERT INTO a VALUES (1);\n\nINSERT INTO a VALUES\n  (2), (3);\nINSERT INTO nope VALUES (4);\n";
    const error = await importD1(db, sql).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(D1ImportError);
    expect((error as D1ImportError).line).toBe(6);
    expect((error as Error).message).toBe("D1_IMPORT_ERROR: Error in line 6: INSERT INTO nope VALUES (4);: no such table: nope: SQLITE_ERROR");
    expect(await db.prepare("SELECT name FROM sqlite_schema").raw()).toEqual([]);
  });

  it("holds every statement to D1's rules", async () => {
    const { db } = await open();
    const cases: [string, string][] = [
      ["CREATE TABLE a (v);\nBEGIN TRANSACTION;\n", "line 2: BEGIN TRANSACTION;: To execute a transaction"],
      ["PRAGMA journal_mode = DELETE;", "line 1: PRAGMA journal_mode = DELETE;: not authorized: SQLITE_AUTH"],
      ["CREATE TABLE _cf_x (v);", "not authorized: SQLITE_AUTH"],
      ["SELECT sqlite_version();", "not authorized to use function: sqlite_version"],
      ["INSERT INTO a VALUES (?);", "Wrong number of parameter bindings"],
    ];
    for (const [sql, message] of cases) await expect(importD1(db, sql), sql).rejects.toThrow(message);
    expect(await db.prepare("SELECT count(*) AS n FROM sqlite_schema").first("n")).toBe(0);
  });

  it("imports statements longer than 100,000 bytes, as exports of large rows have", async () => {
    const source = await open();
    await source.db.exec("CREATE TABLE big (data BLOB)");
    await source.db.prepare("INSERT INTO big VALUES (?)").bind(new Uint8Array(1_500_000).fill(7)).run();
    const target = await open(WASM_MEMORY);
    await importD1(target.db, await text(source.db));
    expect(await target.db.prepare("SELECT length(data) AS n FROM big").first("n")).toBe(1_500_000);
  });

  it("applies deferred foreign keys at the end, and fails the import if they still do not hold", async () => {
    const { db } = await open();
    const sql = "PRAGMA defer_foreign_keys=TRUE;\nCREATE TABLE p (id INTEGER PRIMARY KEY);\nCREATE TABLE c (p INTEGER REFERENCES p (id));\nINSERT INTO c VALUES (1);\n";
    await expect(importD1(db, `${sql}INSERT INTO p VALUES (1);\n`)).resolves.toMatchObject({ statements: 5 });
    const second = await open();
    await expect(importD1(second.db, sql)).rejects.toThrow("FOREIGN KEY constraint failed");
    expect(await second.db.prepare("SELECT count(*) AS n FROM sqlite_schema").first("n")).toBe(0);
  });

  it("leaves the database's own requests working, with fresh meta, afterwards", async () => {
    const { db } = await open();
    await db.exec("CREATE TABLE t (v)");
    const before = (await db.prepare("SELECT 1").all()).meta["size_after"] as number;
    await importD1(db, `${"INSERT INTO t VALUES (zeroblob(10000));\n".repeat(30)}`);
    const after = await db.prepare("SELECT count(*) AS n FROM t").all();
    expect(after.results).toEqual([{ n: 30 }]);
    expect(after.meta["size_after"]).toBeGreaterThan(before + 250_000);
  });
});
