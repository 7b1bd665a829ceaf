import { readdir } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { encodeUserId } from "@cellar/blob-store";
import { createMemoryBlobStore } from "@cellar/blob-store-memory";
import { createKVNamespace, encodeCursor } from "@cellar/kv";
import { engineOf } from "./support/backends.ts";
import { KV_BACKENDS, kvBackendName, openKV } from "./support/kv-fixtures.ts";
import { wrapDatabase } from "./support/instrumented-stores.ts";

const fileBackends = KV_BACKENDS.filter((backend) => backend.database === "file" && backend.blobs === "fs");

describe("kv storage layout", () => {
  for (const backend of fileBackends) {
    it(`creates exactly Miniflare 4's schema and nothing else (${kvBackendName(backend)})`, async () => {
      const opened = await openKV(backend);
      try {
        const objects = opened.metadata.prepare<{ type: string; name: string; sql: string | null }>("SELECT type, name, sql FROM sqlite_master ORDER BY name").all();
        expect(objects).toEqual([
          {
            type: "table",
            name: "_mf_entries",
            sql: "CREATE TABLE _mf_entries (\n  key TEXT PRIMARY KEY,\n  blob_id TEXT NOT NULL,\n  expiration INTEGER,\n  metadata TEXT\n)",
          },
          { type: "index", name: "_mf_entries_expiration_idx", sql: "CREATE INDEX _mf_entries_expiration_idx ON _mf_entries(expiration)" },
          { type: "index", name: "sqlite_autoindex__mf_entries_1", sql: null },
        ]);
        // PRAGMA case_sensitive_like = TRUE is set on the connection.
        expect(opened.metadata.prepare<{ v: number }>("SELECT 'a' LIKE 'A' AS v").get()).toEqual({ v: 0 });
        // A second namespace over the same file finds the table and keeps its data.
        await opened.kv.put("key", "value");
        const reopened = await opened.reopen();
        expect(await reopened.kv.get("key")).toBe("value");
        await reopened.cleanup();
      } catch (error) {
        await opened.cleanup();
        throw error;
      }
    });
  }

  it("names each blob file after its key, so a person can find a value on disk", async () => {
    const opened = await openKV({ blobs: "fs", engine: "native", database: "file" });
    try {
      await opened.kv.put("photos/Cat.JPG", "meow");
      await opened.kv.put("", "x").catch(() => {});
      const files = await readdir(opened.blobDirectory!);
      expect(files).toHaveLength(1);
      expect(files[0]).toMatch(new RegExp(`^[0-9a-f]{80}-${encodeUserId("photos/Cat.JPG").replace(/\./g, "\\.")}$`));
      const [row] = opened.metadata.prepare<{ blob_id: string }>("SELECT blob_id FROM _mf_entries").all();
      expect(row!.blob_id).toBe(files[0]);
    } finally {
      await opened.cleanup();
    }
  });

  for (const engine of ["native", "wasm"] as const) {
    it(`lists and purges through index range scans, never a full-table scan (${engine})`, async () => {
      const db = wrapDatabase((await engineOf({ blobs: "memory", engine, database: "memory" })).open(":memory:"));
      try {
        const kv = createKVNamespace({ metadata: db, blobs: createMemoryBlobStore() });
        await kv.put("a/1", "v");
        await kv.list({ prefix: "a/" });
        await kv.list({ prefix: "a/", cursor: encodeCursor("a/0") });
        await kv.list({ cursor: encodeCursor("a") });
        await kv.list();
        const lists = db.prepared.filter((sql) => sql.startsWith("SELECT key, expiration, metadata FROM _mf_entries"));
        expect(lists.length).toBeGreaterThanOrEqual(3);
        for (const sql of lists) {
          const plan = db
            .prepare<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
            .all({ after: "a", before: "b", now: 0, limit: 10 })
            .map((step) => step.detail);
          expect(plan, sql).toHaveLength(1);
          expect(plan[0], sql).toMatch(/^SEARCH _mf_entries USING INDEX sqlite_autoindex__mf_entries_1 \(key>\?( AND key<\?)?\)$/);
        }
        const purge = db.prepared.find((sql) => sql.startsWith("DELETE FROM _mf_entries WHERE rowid IN"));
        expect(purge).toBeDefined();
        const purgePlan = db.prepare<{ detail: string }>(`EXPLAIN QUERY PLAN ${purge}`).all(0, 10).map((step) => step.detail);
        expect(purgePlan.some((detail) => /USING (COVERING )?INDEX _mf_entries_expiration_idx \(expiration<\?\)/.test(detail))).toBe(true);
        expect(purgePlan.some((detail) => detail.startsWith("SCAN _mf_entries"))).toBe(false);
      } finally {
        db.close();
      }
    });
  }

  it("lists a page from a large namespace without reading the rest", async () => {
    const opened = await openKV({ blobs: "memory", engine: "native", database: "memory" });
    try {
      const insert = opened.metadata.prepare("INSERT INTO _mf_entries (key, blob_id, expiration, metadata) VALUES (?, ?, NULL, NULL)");
      opened.metadata.transaction(() => {
        for (let i = 0; i < 50_000; i++) insert.run(`key-${String(i).padStart(5, "0")}`, `${"0".repeat(64)}000001a200000000`);
      });
      const started = performance.now();
      const page = await opened.kv.list({ prefix: "key-4", cursor: encodeCursor("key-45000"), limit: 1000 });
      const elapsed = performance.now() - started;
      expect(page.keys[0]!.name).toBe("key-45001");
      expect(page.keys).toHaveLength(1000);
      // A full-table scan of 50,000 rows costs tens of milliseconds; a range scan of 1001 about one.
      expect(elapsed).toBeLessThan(250);
    } finally {
      await opened.cleanup();
    }
  });
});
