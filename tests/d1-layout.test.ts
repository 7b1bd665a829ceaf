import { existsSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createD1Database, d1DatabasePath, migrateLegacyD1Database, type MigrationLog } from "@cellar/d1";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";
import { createWasmEngine } from "@cellar/metadata-store-wasm";

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "cellar-d1-layout-"));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function quietLog(): MigrationLog & { debugs: string[]; warnings: string[] } {
  const debugs: string[] = [];
  const warnings: string[] = [];
  return { debugs, warnings, debug: (message) => debugs.push(message), warn: (message) => warnings.push(message) };
}

/** A legacy `<root>/d1/<dir>/db.sqlite` whose last commits are still in its `-wal`. */
async function legacyDatabase(dir: string): Promise<string> {
  const legacy = join(root, "d1", dir, "db.sqlite");
  await mkdir(dirname(legacy), { recursive: true });
  const scratch = join(root, "scratch.sqlite");
  const db = createSqliteEngine().open(scratch);
  db.exec("PRAGMA wal_autocheckpoint = 0; CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('in the wal');");
  // Copy while the connection is open, so the -wal holds the rows, as a killed wrangler leaves it.
  await copyFile(scratch, legacy);
  await copyFile(`${scratch}-wal`, `${legacy}-wal`);
  db.close();
  return legacy;
}

describe("the wrangler dev layout", () => {
  it("a database seeded at d1DatabasePath is the file wrangler dev opens, readable by either engine", async () => {
    const file = d1DatabasePath(join(root, "v3"), "D1");
    expect(file.endsWith(join("v3", "d1", "miniflare-D1DatabaseObject", "43f24c89f0e12f933cdd01f76db89f68337b8866236eeb99eb051c0ffd4bbc25.sqlite"))).toBe(true);
    await mkdir(dirname(file), { recursive: true });
    const native = createSqliteEngine().open(file);
    await createD1Database({ database: native }).exec("CREATE TABLE notes (body TEXT);\nINSERT INTO notes VALUES ('seeded');");
    native.close();
    const wasm = (await createWasmEngine()).open(file);
    expect(await createD1Database({ database: wasm }).prepare("SELECT body FROM notes").first("body")).toBe("seeded");
    wasm.close();
  });
});

describe("migrateLegacyD1Database", () => {
  it("does nothing without a legacy file", async () => {
    const log = quietLog();
    expect(await migrateLegacyD1Database(root, "DB", log)).toMatchObject({ status: "absent" });
    expect(existsSync(join(root, "d1"))).toBe(false);
  });

  it("moves db.sqlite and its -wal to the hashed path, then removes them", async () => {
    const legacy = await legacyDatabase("my_db");
    const log = quietLog();
    const result = await migrateLegacyD1Database(root, "my:db", log);
    expect(result).toEqual({ status: "migrated", from: legacy, to: d1DatabasePath(root, "my:db") });
    expect(existsSync(legacy)).toBe(false);
    expect(existsSync(`${legacy}-wal`)).toBe(false);
    // Only the database and its WAL: no temporary copies are left behind.
    expect((await readdir(dirname(result.to))).sort()).toEqual([basename(result.to), `${basename(result.to)}-wal`]);
    const db = createSqliteEngine().open(result.to);
    expect(await createD1Database({ database: db }).prepare("SELECT body FROM notes").first("body")).toBe("in the wal");
    db.close();
    expect(log.warnings).toEqual([]);
  });

  it("never overwrites an existing database, and leaves the legacy files alone", async () => {
    const legacy = await legacyDatabase("DB");
    const to = d1DatabasePath(root, "DB");
    await mkdir(dirname(to), { recursive: true });
    await writeFile(to, "already here");
    const log = quietLog();
    expect(await migrateLegacyD1Database(root, "DB", log)).toMatchObject({ status: "skipped" });
    expect(log.debugs).toEqual([`Not migrating ${legacy} to ${to} as it already exists`]);
    expect(existsSync(legacy)).toBe(true);
    expect(existsSync(`${legacy}-wal`)).toBe(true);
  });

  it("a failure keeps the legacy files, leaves nothing half-written, and is a warning", async () => {
    const legacy = await legacyDatabase("DB");
    // The class directory cannot be created: a file is in its way.
    await writeFile(join(root, "d1", "miniflare-D1DatabaseObject"), "not a directory");
    const log = quietLog();
    const result = await migrateLegacyD1Database(root, "DB", log);
    expect(result.status).toBe("failed");
    expect(log.warnings).toHaveLength(1);
    expect(log.warnings[0]).toMatch(new RegExp(`^Error migrating ${legacy.replaceAll(/[.*+?^${}()|[\]\\]/g, "\\$&")} to .+: `));
    expect(existsSync(legacy)).toBe(true);
    expect(existsSync(`${legacy}-wal`)).toBe(true);
  });
});
