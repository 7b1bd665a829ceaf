import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";
import { objectDatabasePath } from "@cellar/metadata-store";
import { migrateLegacyDatabase } from "../src/legacy-migration.js";
import { useTemporaryStates } from "./temporary-states.js";

// Older Miniflare kept each namespace's database at <root>/<product>/<name>/db.sqlite; openState
// moves it to the current layout the first time the namespace is used (on-disk-layout §9, L8).
const { tempRoot, open } = useTemporaryStates("cellar-legacy");

/** Writes a database in the old layout holding one table `legacy(note)` with `note`, whose rows are still in its -wal file. */
function writeLegacyDatabase(root: string, product: string, name: string, note: string): string {
  const directory = join(root, product, name);
  mkdirSync(directory, { recursive: true });
  const file = join(directory, "db.sqlite");
  const engine = createSqliteEngine();
  const database = engine.open(file);
  database.exec("PRAGMA wal_autocheckpoint = 0");
  database.exec("CREATE TABLE legacy (note TEXT)");
  database.prepare("INSERT INTO legacy VALUES (?)").run(note);
  // The rows are only in the -wal now. Keep the files as a killed process leaves them: closing
  // would checkpoint the WAL into the database and delete it.
  copyFileSync(file, `${file}.kept`);
  copyFileSync(`${file}-wal`, `${file}-wal.kept`);
  database.close();
  renameSync(`${file}.kept`, file);
  renameSync(`${file}-wal.kept`, `${file}-wal`);
  return file;
}

function collectingLogger(): { warnings: string[]; debugs: string[]; warn(message: string): void; debug(message: string): void } {
  const warnings: string[] = [];
  const debugs: string[] = [];
  return { warnings, debugs, warn: (message) => warnings.push(message), debug: (message) => debugs.push(message) };
}

describe("legacy layout migration", () => {
  it("moves a D1 database from <name>/db.sqlite to the current file the first time it is used", async () => {
    const root = await tempRoot();
    const legacy = writeLegacyDatabase(root, "d1", "DB", "kept");
    expect(statSync(`${legacy}-wal`).size).toBeGreaterThan(0);
    const state = await open({ root });
    const rows = await state.d1("DB").prepare("SELECT note FROM legacy").all();
    expect(rows.results).toEqual([{ note: "kept" }]);
    expect(existsSync(legacy)).toBe(false);
    expect(existsSync(`${legacy}-wal`)).toBe(false);
    expect(existsSync(objectDatabasePath(root, "d1", "DB"))).toBe(true);
  });

  it("migrates KV and R2 databases too, leaving their blob directories where they are", async () => {
    const root = await tempRoot();
    for (const product of ["kv", "r2"] as const) {
      writeLegacyDatabase(root, product, "old-ns", `${product} data`);
      mkdirSync(join(root, product, "old-ns", "blobs"), { recursive: true });
    }
    const state = await open({ root });
    state.kv("old-ns");
    state.r2("old-ns");
    for (const product of ["kv", "r2"] as const) {
      const engine = createSqliteEngine();
      const database = engine.open(objectDatabasePath(root, product, "old-ns"));
      expect(database.prepare("SELECT note FROM legacy").all()).toEqual([{ note: `${product} data` }]);
      database.close();
      expect(existsSync(join(root, product, "old-ns", "db.sqlite"))).toBe(false);
      expect(existsSync(join(root, product, "old-ns", "blobs"))).toBe(true);
    }
  });

  it("never overwrites an existing target: the old file stays, and the skip is a debug line", async () => {
    const root = await tempRoot();
    const legacy = writeLegacyDatabase(root, "d1", "DB", "old");
    const target = objectDatabasePath(root, "d1", "DB");
    mkdirSync(join(target, ".."), { recursive: true });
    const engine = createSqliteEngine();
    const current = engine.open(target);
    current.exec("CREATE TABLE current (note TEXT)");
    current.close();
    const logger = collectingLogger();
    expect(migrateLegacyDatabase(root, "d1", "DB", logger)).toMatchObject({ status: "skipped" });
    expect(logger.debugs).toEqual([`Not migrating ${legacy} to ${target} as it already exists`]);
    expect(logger.warnings).toEqual([]);
    expect(existsSync(legacy)).toBe(true);
    const state = await open({ root, logger });
    expect((await state.d1("DB").prepare("SELECT name FROM sqlite_master WHERE name IN ('legacy', 'current')").all()).results).toEqual([{ name: "current" }]);
  });

  it("turns a failure into a warning and leaves the old files in place", async () => {
    const root = await tempRoot();
    const legacy = writeLegacyDatabase(root, "kv", "ns", "old");
    // A file where the class directory should be: the copy cannot be made.
    mkdirSync(join(root, "kv"), { recursive: true });
    writeFileSync(join(root, "kv", "miniflare-KVNamespaceObject"), "not a directory");
    const logger = collectingLogger();
    expect(migrateLegacyDatabase(root, "kv", "ns", logger)).toMatchObject({ status: "failed" });
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]).toMatch(new RegExp(`^Error migrating ${legacy.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} to .+miniflare-KVNamespaceObject/[0-9a-f]{64}\\.sqlite: `));
    expect(readFileSync(legacy).length).toBeGreaterThan(0);
  });

  it("replaces a stray WAL an interrupted attempt left beside the missing target", async () => {
    const root = await tempRoot();
    const legacy = writeLegacyDatabase(root, "d1", "DB", "whole");
    const target = objectDatabasePath(root, "d1", "DB");
    mkdirSync(join(target, ".."), { recursive: true });
    writeFileSync(`${target}-wal`, "garbage that must never be replayed");
    writeFileSync(`${target}-shm`, "a stale index");
    const logger = collectingLogger();
    expect(migrateLegacyDatabase(root, "d1", "DB", logger)).toMatchObject({ status: "migrated" });
    expect(logger.warnings).toEqual([]);
    expect(existsSync(legacy)).toBe(false);
    const state = await open({ root });
    expect((await state.d1("DB").prepare("SELECT note FROM legacy").all()).results).toEqual([{ note: "whole" }]);
  });

  it("does nothing without an old database", async () => {
    const root = await tempRoot();
    const logger = collectingLogger();
    expect(migrateLegacyDatabase(root, "r2", "bucket", logger)).toMatchObject({ status: "absent" });
    expect(logger).toMatchObject({ warnings: [], debugs: [] });
  });
});
