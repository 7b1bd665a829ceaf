import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { readdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createDurableObjectNamespace, TOMBSTONE_FILE } from "@cellar/durable-objects";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";
import { describe, expect, it } from "vitest";
import { withTempDir } from "./support/with-temp-dir.ts";

const here = dirname(fileURLToPath(import.meta.url));
const KEY = "-Contended";
const COUNT = 6;
const LOCK_FILE = ".cellar-drop-lock";

/** A child process whose JSON stdout lines can be awaited as they arrive. */
interface RunningChild {
  readonly lines: Record<string, unknown>[];
  /** Resolves with the first line (already printed or still to come) that `match` accepts. */
  line(match: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

function start(script: string, args: string[]): RunningChild {
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=@cellar/source", join(here, "support", script), ...args], {
    cwd: join(here, ".."),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: Record<string, unknown>[] = [];
  const waiters: { match: (line: Record<string, unknown>) => boolean; resolve: (line: Record<string, unknown>) => void }[] = [];
  let buffered = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    buffered += chunk.toString();
    const complete = buffered.split("\n");
    buffered = complete.pop()!;
    for (const text of complete.filter(Boolean)) {
      const line = JSON.parse(text) as Record<string, unknown>;
      lines.push(line);
      for (const waiter of waiters.filter((w) => w.match(line))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stderr }));
  });
  return {
    lines,
    exited,
    line(match) {
      const seen = lines.find(match);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ match, resolve }));
    },
  };
}

/** COUNT objects, each with a KV value, a table and an alarm an hour ahead, written and closed. */
async function populate(dir: string): Promise<void> {
  const ns = createDurableObjectNamespace({ uniqueKey: KEY, engine: createSqliteEngine(), directory: dir, onAlarm: () => {} });
  for (let i = 0; i < COUNT; i++) {
    const { storage } = ns.get(ns.idFromName(`o${i}`));
    await storage.put("k", `old ${i}`);
    storage.sql.exec("CREATE TABLE t (x)");
    await storage.setAlarm(Date.now() + 3_600_000);
  }
  await ns.close();
}

function scheduleRows(dir: string): number {
  const db = createSqliteEngine().open(join(dir, KEY, "metadata.sqlite"));
  try {
    return Number((db.prepare("SELECT count(*) AS n FROM _cf_ALARM").get() as { n: number }).n);
  } finally {
    db.close();
  }
}

/** Writes an object file the way another tool would: a table with one row. */
function writeObjectFile(dir: string, id: string, value: string): void {
  const db = createSqliteEngine().open(join(dir, KEY, `${id}.sqlite`));
  db.exec("CREATE TABLE kept (v)");
  db.prepare("INSERT INTO kept VALUES (?)").run(value);
  db.close();
}

describe("two processes drop one namespace directory at once", () => {
  it("both succeed, nothing comes back, and files created after both tombstones are kept", async () => {
    await withTempDir("cellar-do-race-", async (dir) => {
      await populate(dir);
      const children = { a: start("durable-objects-drop-race-child.ts", [dir, KEY, "a"]), b: start("durable-objects-drop-race-child.ts", [dir, KEY, "b"]) };
      await Promise.all([children.a.line((line) => line.ready === true), children.b.line((line) => line.ready === true)]);
      await writeFile(join(dir, "go"), "");
      const tombstone = (line: Record<string, unknown>) => line.stage === "tombstone-written";
      const first = (await Promise.race([children.a.line(tombstone), children.b.line(tombstone)])).name as "a" | "b";
      const second = first === "a" ? "b" : "a";
      // Give the other process every chance to write a tombstone of its own now (it must not: the
      // drops take turns). This wait only lets an unserialised implementation show itself.
      await Promise.race([children[second].line(tombstone), new Promise((resolve) => setTimeout(resolve, 300))]);
      await writeFile(join(dir, `release-${first}`), "");
      await children[first].line((line) => line.done === true);

      await children[second].line(tombstone);
      // After both tombstones: o0 comes back to life in another tool, and a new object appears.
      const ids = createDurableObjectNamespace({ uniqueKey: KEY, engine: createSqliteEngine() });
      const recreated = ids.idFromName("o0").toString();
      const added = ids.idFromName("added").toString();
      writeObjectFile(dir, recreated, "recreated");
      writeObjectFile(dir, added, "added");
      await writeFile(join(dir, `release-${second}`), "");

      for (const name of ["a", "b"] as const) {
        const exit = await children[name].exited;
        expect(exit.stderr).toBe("");
        expect(exit.code).toBe(0);
        expect(children[name].lines.at(-1)).toEqual({ name, done: true });
      }
      // The second drop listed the directory only after the first had finished.
      const firstDone = children[first].lines.find((line) => line.stage === "done");
      expect(firstDone).toBeDefined();
      const secondFiles = (children[second].lines.find(tombstone) as { files: string[] }).files;
      expect(secondFiles).toEqual([]);

      const left = (await readdir(join(dir, KEY))).sort();
      expect(left.filter((name) => !name.startsWith("metadata.sqlite"))).toEqual([`${added}.sqlite`, `${recreated}.sqlite`].sort());
      expect(existsSync(join(dir, KEY, TOMBSTONE_FILE))).toBe(false);
      expect(existsSync(join(dir, KEY, LOCK_FILE))).toBe(false);
      expect(scheduleRows(dir)).toBe(0);

      const ns = createDurableObjectNamespace({ uniqueKey: KEY, engine: createSqliteEngine(), directory: dir, onAlarm: () => {} });
      try {
        for (let i = 1; i < COUNT; i++) {
          const { storage } = ns.get(ns.idFromName(`o${i}`));
          expect(await storage.get("k")).toBeUndefined();
          expect(await storage.getAlarm()).toBeNull();
        }
        expect(ns.get(ns.idFromName("o0")).storage.sql.exec("SELECT v FROM kept").toArray()).toEqual([{ v: "recreated" }]);
        expect(ns.get(ns.idFromName("added")).storage.sql.exec("SELECT v FROM kept").toArray()).toEqual([{ v: "added" }]);
      } finally {
        await ns.close();
      }
    });
  }, 60_000);

  it("a drop killed while holding the lock is taken over by the next drop, which completes it", async () => {
    await withTempDir("cellar-do-race-", async (dir) => {
      // Opened before the other process runs, so its open has nothing to recover.
      const stages: string[] = [];
      const ns = createDurableObjectNamespace({ uniqueKey: KEY, engine: createSqliteEngine(), directory: dir, onAlarm: () => {}, onDropProgress: (p) => void stages.push(p.stage) });
      try {
        const killed = start("durable-objects-drop-child.ts", [dir, KEY, String(COUNT), "tombstone-written", "deleteAll"]);
        const exit = await killed.exited;
        expect(exit.signal, exit.stderr).toBe("SIGKILL");
        const lock = JSON.parse(readFileSync(join(dir, KEY, LOCK_FILE), "utf8")) as { pid: number };
        expect(lock.pid).not.toBe(process.pid);
        expect(existsSync(join(dir, KEY, TOMBSTONE_FILE))).toBe(true);

        await ns.deleteAll();
        expect(stages.filter((stage) => stage !== "file-deleted")).toEqual(["started", "tombstone-written", "schedule-cleared", "done"]);
        expect(stages.filter((stage) => stage === "file-deleted").length).toBeGreaterThanOrEqual(COUNT);
        expect((await readdir(join(dir, KEY))).filter((name) => !name.startsWith("metadata.sqlite"))).toEqual([]);
        for (let i = 0; i < COUNT; i++) expect(await ns.get(ns.idFromName(`o${i}`)).storage.get("k")).toBeUndefined();
      } finally {
        await ns.close();
      }
      expect(scheduleRows(dir)).toBe(0);
    });
  }, 30_000);
});
