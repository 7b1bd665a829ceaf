import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createDurableObjectNamespace, TOMBSTONE_FILE, type CellarDurableObjectNamespace, type DropProgress } from "@cellar/durable-objects";
import type { SqlEngine } from "@cellar/metadata-store";
import { describe, expect, it } from "vitest";
import { backendName, engineOf, type Backend } from "./support/backends.ts";
import { jsonLines, runTsx } from "./support/spawn-tsx.ts";
import { withTempDir } from "./support/with-temp-dir.ts";

const here = dirname(fileURLToPath(import.meta.url));
const KEY = "-Dropped";
const COUNT = 4;

interface Child {
  readonly signal: NodeJS.Signals | null;
  readonly code: number | null;
  readonly stages: DropProgress[];
  readonly stderr: string;
}

/** The engines the kill cases run on: better-sqlite3 (WAL files) and sql.js (whole-file images). */
const ENGINES: readonly Backend[] = (["native", "wasm"] as const).map((engine) => ({ blobs: "memory", engine, database: "file" }));

async function runChild(backend: Backend, dir: string, killAt: string, via: "deleteAll" | "helper" = "deleteAll"): Promise<Child> {
  const script = join(here, "support", "durable-objects-drop-child.ts");
  const { code, signal, stdout, stderr } = await runTsx(script, [dir, KEY, String(COUNT), killAt, via, backend.engine]);
  return { code, signal, stderr, stages: jsonLines<DropProgress>(stdout) };
}

/** The `_cf_ALARM` rows, read with the engine that wrote them (sql.js files are not WAL). */
function scheduleRows(engine: SqlEngine, location: string): number {
  const db = engine.open(location);
  try {
    return Number((db.prepare("SELECT count(*) AS n FROM _cf_ALARM").get() as { n: number }).n);
  } finally {
    db.close();
  }
}

/** Reopens the directory, as the next process would, recording the drop stages it reports. */
function reopen(engine: SqlEngine, dir: string, recorded: DropProgress[]): CellarDurableObjectNamespace {
  return createDurableObjectNamespace({ uniqueKey: KEY, engine, directory: dir, onAlarm: () => {}, onDropProgress: (p) => void recorded.push(p) });
}

async function expectDropped(engine: SqlEngine, dir: string, child: Child): Promise<void> {
  const namespaceDir = join(dir, KEY);
  expect(existsSync(join(namespaceDir, TOMBSTONE_FILE))).toBe(true);
  const recorded: DropProgress[] = [];
  const ns = reopen(engine, dir, recorded);
  try {
    const written = child.stages.find((p): p is Extract<DropProgress, { stage: "tombstone-written" }> => p.stage === "tombstone-written");
    expect(written).toBeDefined();
    expect(recorded).toEqual([{ stage: "recovered", generation: written!.generation, files: written!.files }]);
    expect(existsSync(join(namespaceDir, TOMBSTONE_FILE))).toBe(false);
    expect(existsSync(join(namespaceDir, "metadata.sqlite"))).toBe(true);
    for (let i = 0; i < COUNT; i++) {
      const { storage } = ns.get(ns.idFromName(`o${i}`));
      expect(await storage.get("k")).toBeUndefined();
      expect(await storage.getAlarm()).toBeNull();
      expect(storage.sql.exec("SELECT name FROM sqlite_master WHERE name NOT LIKE '_cf_%'").toArray()).toEqual([]);
      await storage.put("k", `new ${i}`);
    }
  } finally {
    await ns.close();
  }
  // Read with nothing open here: sql.js allows one connection per file in a process.
  expect(scheduleRows(engine, join(namespaceDir, "metadata.sqlite"))).toBe(0);
  // Nothing comes back on a later open, and what was written after the drop stays.
  const again = reopen(engine, dir, []);
  try {
    for (let i = 0; i < COUNT; i++) expect(await again.get(again.idFromName(`o${i}`)).storage.get("k")).toBe(`new ${i}`);
  } finally {
    await again.close();
  }
}

for (const backend of ENGINES) {
  describe(`deleteAll() killed part-way (child processes, ${backendName(backend, { blobs: false })})`, () => {
    it("killed before the tombstone is written: nothing was dropped", async () => {
      await withTempDir("cellar-do-drop-", async (dir) => {
        const engine = await engineOf(backend);
        const child = await runChild(backend, dir, "started");
        expect(child.signal, child.stderr).toBe("SIGKILL");
        expect(child.stages.map((p) => p.stage)).toEqual(["started"]);
        expect(existsSync(join(dir, KEY, TOMBSTONE_FILE))).toBe(false);
        const recorded: DropProgress[] = [];
        const ns = reopen(engine, dir, recorded);
        try {
          expect(recorded).toEqual([]);
          for (let i = 0; i < COUNT; i++) {
            const { storage } = ns.get(ns.idFromName(`o${i}`));
            expect(await storage.get("k")).toBe(`old ${i}`);
            expect(storage.sql.exec("SELECT x FROM t").toArray()).toEqual([{ x: i }]);
            expect(await storage.getAlarm()).not.toBeNull();
          }
        } finally {
          await ns.close();
        }
        expect(scheduleRows(engine, join(dir, KEY, "metadata.sqlite"))).toBe(COUNT);
      });
    });

    it("killed right after the tombstone is written: the next open completes the drop", async () => {
      await withTempDir("cellar-do-drop-", async (dir) => {
        const engine = await engineOf(backend);
        const child = await runChild(backend, dir, "tombstone-written");
        expect(child.signal, child.stderr).toBe("SIGKILL");
        expect(child.stages.map((p) => p.stage)).toEqual(["started", "tombstone-written"]);
        // Nothing deleted yet, the schedule still full: only the tombstone says the data is gone.
        expect(scheduleRows(engine, join(dir, KEY, "metadata.sqlite"))).toBe(COUNT);
        await expectDropped(engine, dir, child);
      });
    });

    it("killed after 2 files are deleted (deleteAllDurableObjects): the next open completes the drop", async () => {
      await withTempDir("cellar-do-drop-", async (dir) => {
        const engine = await engineOf(backend);
        const child = await runChild(backend, dir, "file-deleted:2", "helper");
        expect(child.signal, child.stderr).toBe("SIGKILL");
        const last = child.stages.at(-1);
        expect(last).toMatchObject({ stage: "file-deleted", deleted: 2 });
        expect((last as { total: number }).total).toBeGreaterThan(2);
        const left = (await readdir(join(dir, KEY))).filter((name) => /^[0-9a-f]{64}\./.test(name));
        expect(left.length).toBe((last as { total: number }).total - 2);
        await expectDropped(engine, dir, child);
      });
    });

    it("the completion deletes only the listed files: an object created after the tombstone keeps its data", async () => {
      await withTempDir("cellar-do-drop-", async (dir) => {
        const engine = await engineOf(backend);
        const child = await runChild(backend, dir, "schedule-cleared");
        expect(child.signal, child.stderr).toBe("SIGKILL");
        // Another tool writes a new object's file while the tombstone is pending.
        const late = createDurableObjectNamespace({ uniqueKey: "-Elsewhere", engine }).idFromName("late").toString();
        const db = engine.open(join(dir, KEY, `${late}.sqlite`));
        db.exec("CREATE TABLE kept (x)");
        db.close();
        await expectDropped(engine, dir, child);
        expect(existsSync(join(dir, KEY, `${late}.sqlite`))).toBe(true);
      });
    });

    it("an object opened while the drop is in progress starts empty and keeps what it writes", async () => {
      await withTempDir("cellar-do-drop-", async (dir) => {
        const engine = await engineOf(backend);
        const id = (ns: CellarDurableObjectNamespace) => ns.idFromName("busy");
        const first = reopen(engine, dir, []);
        await first.get(id(first)).storage.put("k", "old");
        await first.close();
        let seen: unknown = "not opened";
        const ns = createDurableObjectNamespace({
          uniqueKey: KEY,
          engine,
          directory: dir,
          onDropProgress: (p) => {
            if (p.stage !== "tombstone-written") return;
            const { storage } = ns.get(id(ns));
            seen = storage.sql.exec("SELECT count(*) AS n FROM sqlite_master").one().n;
            void storage.put("k", "new");
          },
        });
        await ns.deleteAll();
        expect(seen).toBe(0);
        expect(await ns.get(id(ns)).storage.get("k")).toBe("new");
        await ns.close();
        expect(existsSync(join(dir, KEY, TOMBSTONE_FILE))).toBe(false);
        const again = reopen(engine, dir, []);
        expect(await again.get(id(again)).storage.get("k")).toBe("new");
        await again.close();
      });
    });
  });
}
