import { existsSync, statSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import type { SqlError } from "@cellar/metadata-store";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";
import { createWasmEngine } from "@cellar/metadata-store-wasm";
import { makeTempDir } from "./support/metadata-store-fixtures.ts";
import { runMetadataChild } from "./support/metadata-store-spawn.ts";

// A child commits, awaits flush(), then SIGKILLs itself: no close(), no exit hooks. Whatever
// flush() promised must be in storage.
let dir: string;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function countRows(open: () => { prepare: (sql: string) => { get: () => unknown }; close: () => void }): unknown {
  const db = open();
  try {
    return db.prepare("SELECT count(*) AS n FROM rows").get();
  } finally {
    db.close();
  }
}

it("better-sqlite3: flushed commits survive a kill; the WAL left behind is replayed, and the wasm engine refuses it until then", async () => {
  const file = join(dir, "native.sqlite");
  const result = await runMetadataChild(["flush-kill", "native", file, "k", "50"]);
  expect(result.stderr).toBe("");
  expect(result.stdout).toBe("flushed\n");
  expect(result.signal).toBe("SIGKILL");
  // The kill left the commits in the -wal file, not yet in the database file.
  expect(statSync(`${file}-wal`).size).toBeGreaterThan(0);
  const wasm = await createWasmEngine();
  let refused: unknown;
  try {
    wasm.open(file).close();
  } catch (error) {
    refused = error;
  }
  expect((refused as SqlError | undefined)?.code).toBe("ERR_SQL_WAL_PRESENT");
  // Native SQLite replays the WAL; closing checkpoints it and removes the -wal file.
  expect(countRows(() => createSqliteEngine().open(file))).toEqual({ n: 50 });
  expect(existsSync(`${file}-wal`)).toBe(false);
  expect(countRows(() => wasm.open(file))).toEqual({ n: 50 });
}, 30_000);

it("sql.js: a flushed file survives a kill and is a valid database for both engines", async () => {
  const file = join(dir, "wasm.sqlite");
  const result = await runMetadataChild(["flush-kill", "wasm", file, "k", "50"]);
  expect(result.stderr).toBe("");
  expect(result.stdout).toBe("flushed\n");
  expect(result.signal).toBe("SIGKILL");
  const wasm = await createWasmEngine();
  expect(countRows(() => wasm.open(file))).toEqual({ n: 50 });
  expect(countRows(() => createSqliteEngine().open(file))).toEqual({ n: 50 });
}, 30_000);

it("sql.js: commits not yet flushed are written when the process exits normally without close()", async () => {
  const file = join(dir, "exit.sqlite");
  const result = await runMetadataChild(["exit", "wasm", file, "e", "20"]);
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  expect(countRows(() => createSqliteEngine().open(file))).toEqual({ n: 20 });
}, 30_000);
