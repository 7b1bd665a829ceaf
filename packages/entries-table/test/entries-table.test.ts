import { afterEach, describe, expect, it } from "vitest";
import type { SqlDatabase } from "@cellar/metadata-store";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";
import { ENTRIES_SCHEMA, EntriesTable } from "../src/index.ts";

let db: SqlDatabase;
afterEach(() => db?.close());

function open(): EntriesTable {
  db = createSqliteEngine().open(":memory:");
  return new EntriesTable(db);
}

describe("EntriesTable", () => {
  it("creates Miniflare's exact table and index, and makes LIKE case-sensitive on the connection", () => {
    open();
    const schema = db.prepare<{ sql: string }>("SELECT sql FROM sqlite_master WHERE name LIKE '_mf_entries%' ORDER BY name").all();
    expect(schema.map((row) => row.sql.replace(/\s+/g, " "))).toEqual([
      "CREATE TABLE _mf_entries ( key TEXT PRIMARY KEY, blob_id TEXT NOT NULL, expiration INTEGER, metadata TEXT )",
      "CREATE INDEX _mf_entries_expiration_idx ON _mf_entries(expiration)",
    ]);
    expect(db.prepare<{ hit: number }>("SELECT 'A' LIKE 'a' AS hit").get()?.hit).toBe(0);
    expect(ENTRIES_SCHEMA).toContain("CREATE TABLE IF NOT EXISTS _mf_entries");
  });

  it("upserts, reads and deletes entries, returning what was removed", () => {
    const table = open();
    table.upsert("k", "blob-1", 1000, '{"a":1}');
    expect(table.get("k")).toEqual(["blob-1", 1000, '{"a":1}']);
    table.upsert("k", "blob-2", null, null);
    expect(table.blobIdOf("k")).toBe("blob-2");
    expect(table.delete("k")).toEqual(["blob-2", null]);
    expect(table.delete("k")).toBeUndefined();
    expect(table.get("k")).toBeUndefined();
  });

  it("deletes an entry only while it still points at the given blob", () => {
    const table = open();
    table.upsert("k", "new", null, null);
    expect(table.deleteIfBlob("k", "old")).toBe(false);
    expect(table.deleteIfBlob("k", "new")).toBe(true);
  });

  it("lists live entries in UTF-8 byte order between bounds", () => {
    const table = open();
    for (const key of ["b", "a", "😀", "\uFFFF", "c", "ab"]) table.upsert(key, `blob-${key}`, null, null);
    table.upsert("aa", "blob-aa", 500, null);
    const names = (rows: [string, number | null, string | null][]) => rows.map((row) => row[0]);
    expect(names(table.list("", true, undefined, 1000, 10))).toEqual(["a", "ab", "b", "c", "\uFFFF", "😀"]);
    expect(names(table.list("a", false, "c", 0, 10))).toEqual(["aa", "ab", "b"]);
    expect(names(table.list("a", true, "b", 1000, 1))).toEqual(["a"]);
  });

  it("purges expired entries in bounded steps, oldest first, and wipes in steps", () => {
    const table = open();
    for (let i = 0; i < 5; i++) table.upsert(`e${i}`, `blob-e${i}`, 100 + i, null);
    table.upsert("live", "blob-live", null, null);
    expect(table.deleteExpired(103, 2)).toEqual(["blob-e0", "blob-e1"]);
    expect(table.deleteExpired(103, 10)).toEqual(["blob-e2", "blob-e3"]);
    expect([...table.referencedBlobIds()].sort()).toEqual(["blob-e4", "blob-live"]);
    expect(table.deleteSome(1)).toHaveLength(1);
    expect(table.deleteSome(10)).toHaveLength(1);
    expect(table.referencedBlobIds().size).toBe(0);
  });
});
