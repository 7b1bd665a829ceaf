import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { SqlEngine } from "@cellar/metadata-store";
import { completeInterruptedDrop, readTombstone, removeTombstone, TOMBSTONE_FILE, writeTombstone, type DropProgress } from "../src/drop-tombstone.js";

const A = "a".repeat(64);
const B = "b".repeat(64);
const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: resource busy or locked`), { code });
/** No schedule file exists in these tests, so the engine is never opened. */
const engine = { name: "unused", open: () => { throw new Error("not opened"); } } as unknown as SqlEngine;

async function withDir(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "cellar-do-tombstone-"));
  try {
    await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe("drop tombstone", () => {
  it("is written atomically (no temp file left), read back, and removed only for its own generation", async () => {
    await withDir(async (dir) => {
      expect(readTombstone(dir)).toBeUndefined();
      const tombstone = { version: 1, generation: 7, files: [`${A}.sqlite`], actorIds: [A] } as const;
      writeTombstone(dir, tombstone);
      expect(await readdir(dir)).toEqual([TOMBSTONE_FILE]);
      expect(readTombstone(dir)).toEqual(tombstone);
      removeTombstone(dir, 6);
      expect(existsSync(join(dir, TOMBSTONE_FILE))).toBe(true);
      removeTombstone(dir, 7);
      expect(existsSync(join(dir, TOMBSTONE_FILE))).toBe(false);
    });
  });

  it("refuses a damaged tombstone, or one naming files that are not object files", async () => {
    await withDir(async (dir) => {
      for (const text of ["{", JSON.stringify({ version: 1, generation: 1, files: ["metadata.sqlite"], actorIds: [] }), JSON.stringify({ version: 1, generation: 1, files: [`../${A}.sqlite`], actorIds: [] }), JSON.stringify({ version: 2, generation: 1, files: [], actorIds: [] })]) {
        await writeFile(join(dir, TOMBSTONE_FILE), text);
        expect(() => readTombstone(dir)).toThrow(/Damaged deleteAll\(\) tombstone/);
        expect(() => completeInterruptedDrop(dir, engine)).toThrow(/Damaged/);
      }
    });
  });

  it("completion deletes only the listed files, removes stale temp files and the tombstone, and reports it", async () => {
    await withDir(async (dir) => {
      for (const name of [`${A}.sqlite`, `${A}.sqlite-wal`, `${B}.sqlite`, "metadata.sqlite", `${TOMBSTONE_FILE}.tmp-1-ff`]) await writeFile(join(dir, name), "x");
      writeTombstone(dir, { version: 1, generation: 3, files: [`${A}.sqlite`, `${A}.sqlite-wal`, `${A}.facets`], actorIds: [] });
      const recorded: DropProgress[] = [];
      completeInterruptedDrop(dir, engine, (p) => void recorded.push(p));
      expect((await readdir(dir)).sort()).toEqual([`${B}.sqlite`, "metadata.sqlite"]);
      expect(recorded).toEqual([{ stage: "recovered", generation: 3, files: [`${A}.sqlite`, `${A}.sqlite-wal`, `${A}.facets`] }]);
      completeInterruptedDrop(join(dir, "missing"), engine);
    });
  });

  it("completion that cannot delete a listed file throws and keeps the tombstone", async () => {
    await withDir(async (dir) => {
      writeTombstone(dir, { version: 1, generation: 1, files: [`${A}.sqlite`], actorIds: [] });
      let now = 0;
      const error = (() => {
        try {
          completeInterruptedDrop(dir, engine, undefined, { now: () => now, sleep: (ms) => void (now += ms), unlink: () => { throw errno("EBUSY"); } });
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(AggregateError);
      expect((error as Error).message).toContain(`${A}.sqlite`);
      expect(now).toBeGreaterThanOrEqual(2_000);
      expect(existsSync(join(dir, TOMBSTONE_FILE))).toBe(true);
    });
  });
});
