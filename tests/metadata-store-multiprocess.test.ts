import { rm } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";
import { makeTempDir } from "./support/metadata-store-fixtures.ts";
import { runMetadataChild } from "./support/metadata-store-spawn.ts";

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

it("three processes writing one file in short transactions lose nothing and never fail", async () => {
  const file = join(dir, "shared.sqlite");
  const perWriter = 200;
  const writers = ["a", "b", "c"];
  // This process keeps a connection open too, reading while the children write.
  const db = createSqliteEngine().open(file);
  db.exec("CREATE TABLE rows (writer TEXT NOT NULL, i INTEGER NOT NULL, PRIMARY KEY (writer, i))");
  const count = db.prepare<{ n: number }>("SELECT count(*) AS n FROM rows");
  const reads: number[] = [];
  const reader = setInterval(() => reads.push(count.get()?.n ?? -1), 5);
  try {
    const results = await Promise.all(writers.map((writer) => runMetadataChild(["write", "native", file, writer, String(perWriter)])));
    for (const result of results) {
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
    }
  } finally {
    clearInterval(reader);
  }
  const rows = db.prepare<{ writer: string; n: number; low: number; high: number }>(
    "SELECT writer, count(*) AS n, min(i) AS low, max(i) AS high FROM rows GROUP BY writer ORDER BY writer",
  );
  expect(rows.all()).toEqual(writers.map((writer) => ({ writer, n: perWriter, low: 0, high: perWriter - 1 })));
  // Reads never went backwards: each saw a committed state at least as new as the previous one.
  expect(reads.every((n, i) => n >= 0 && (i === 0 || n >= (reads[i - 1] as number)))).toBe(true);
  db.close();
}, 30_000);
