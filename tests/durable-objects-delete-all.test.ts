import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDurableObjectNamespace, deleteAllDurableObjects, DURABLE_OBJECT_MESSAGES, type CellarDurableObjectNamespace, type DurableObjectNamespaceOptions } from "@cellar/durable-objects";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";
import { describe, expect, it } from "vitest";
import { backendName, engineOf, SQL_BACKENDS, type Backend } from "./support/backends.ts";
import { FakeAlarmClock } from "./support/durable-objects-alarm-fixtures.ts";

const KEY = "-Wiped";
const HOUR = 3_600_000;

/** A temp persist directory (file backends) or none (memory), a fake clock, and a recorder of alarm runs. */
async function setup(backend: Backend) {
  const engine = await engineOf(backend);
  const dir = backend.database === "file" ? await mkdtemp(join(tmpdir(), "cellar-do-wipe-")) : undefined;
  const clock = new FakeAlarmClock(Date.UTC(2026, 0, 1));
  const runs: string[] = [];
  const opened: CellarDurableObjectNamespace[] = [];
  const open = (options: Partial<DurableObjectNamespaceOptions> = {}): CellarDurableObjectNamespace => {
    const ns = createDurableObjectNamespace({
      uniqueKey: KEY,
      engine,
      directory: dir,
      timers: clock.timers,
      clock,
      onAlarm: (id) => void runs.push(`${options.uniqueKey ?? KEY}:${id.name ?? id.toString()}`),
      ...options,
    });
    opened.push(ns);
    return ns;
  };
  const advance = (ms: number) => clock.advance(ms, async () => void (await Promise.all(opened.map((ns) => ns.alarmsSettled()))));
  const cleanup = async () => {
    for (const ns of opened) await ns.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  };
  return { engine, dir, clock, runs, open, advance, cleanup };
}

/** The `_cf_ALARM` rows, read through a better-sqlite3 connection of its own. */
function scheduleRows(location: string): number {
  const db = createSqliteEngine().open(location);
  try {
    return Number((db.prepare("SELECT count(*) AS n FROM _cf_ALARM").get() as { n: number }).n);
  } finally {
    db.close();
  }
}

async function expectEmpty(ns: CellarDurableObjectNamespace, name: string): Promise<void> {
  const { storage } = ns.get(ns.idFromName(name));
  expect(await storage.get("k")).toBeUndefined();
  expect((await storage.list()).size).toBe(0);
  expect(await storage.getAlarm()).toBeNull();
  expect(storage.sql.exec("SELECT name FROM sqlite_master WHERE name NOT LIKE '_cf_%'").toArray()).toEqual([]);
}

for (const backend of SQL_BACKENDS) {
  describe(`deleteAll() on ${backendName(backend, { blobs: false })}`, () => {
    it("deletes every object (opened, idle-closed, never opened here), cancels every alarm, and starts clean", async () => {
      const t = await setup(backend);
      try {
        const names = ["open", "idle", ...(t.dir === undefined ? [] : ["never"])];
        if (t.dir !== undefined) {
          // "never": written by another namespace instance over the same directory, then closed.
          const other = t.open();
          const { storage } = other.get(other.idFromName("never"));
          await storage.put("k", "never");
          storage.sql.exec("CREATE TABLE t (x)");
          await storage.setAlarm(t.clock.now() + HOUR);
          await other.close();
        }
        const ns = t.open();
        for (const name of ["idle", "open"]) {
          const { storage } = ns.get(ns.idFromName(name));
          await storage.put("k", name);
          storage.sql.exec("CREATE TABLE t (x)");
          await storage.setAlarm(t.clock.now() + HOUR);
        }
        const old = ns.get(ns.idFromName("open"));
        if (t.dir !== undefined) {
          // "idle" is closed after 10 s without use (on the next open); "open" stays open.
          await t.advance(5_000);
          await old.storage.get("k");
          await t.advance(5_001);
          await ns.get(ns.idFromName("trigger")).storage.get("k");
          expect(ns.openDatabases).toBe(2);
          const before = await readdir(join(t.dir, KEY));
          for (const name of names) expect(before).toContain(`${ns.idFromName(name)}.sqlite`);
          if (backend.engine === "native") expect(before).toContain(`${ns.idFromName("open")}.sqlite-wal`);
        }
        void old.storage.put("pending", "never committed"); // an unawaited write: superseded

        await ns.deleteAll();

        // The old handle is dead: it never sees or revives the old data.
        await expect(old.storage.get("k")).rejects.toThrow(DURABLE_OBJECT_MESSAGES.deleteAllDurableObjects);
        await expect(old.storage.put("k", "revived")).rejects.toThrow(DURABLE_OBJECT_MESSAGES.deleteAllDurableObjects);
        await expect(old.storage.deleteAll()).rejects.toThrow(DURABLE_OBJECT_MESSAGES.deleteAllDurableObjects);
        expect(() => old.storage.sql.exec("SELECT 1")).toThrow(DURABLE_OBJECT_MESSAGES.deleteAllDurableObjects);

        if (t.dir !== undefined) {
          // Only the schedule is left, and it is empty.
          const after = await readdir(join(t.dir, KEY));
          expect(after.filter((file) => !file.startsWith("metadata.sqlite"))).toEqual([]);
          expect(after).toContain("metadata.sqlite");
          expect(scheduleRows(join(t.dir, KEY, "metadata.sqlite"))).toBe(0);
          expect(ns.openDatabases).toBe(0);
        }
        // No handler ever fires for the deleted alarms.
        await t.advance(2 * HOUR);
        expect(t.runs).toEqual([]);
        for (const name of names) await expectEmpty(ns, name);

        // Objects are recreated with clean state, and alarms work again.
        const fresh = ns.get(ns.idFromName("open")).storage;
        await fresh.put("k", "again");
        await fresh.setAlarm(t.clock.now() + 1_000);
        await t.advance(1_000);
        expect(t.runs).toEqual([`${KEY}:open`]);
        expect(await fresh.get("k")).toBe("again");

        if (t.dir !== undefined) {
          // A later process sees the wipe too.
          await ns.close();
          const reopened = t.open();
          await t.advance(2 * HOUR);
          expect(t.runs).toEqual([`${KEY}:open`]);
          for (const name of ["idle", "never"]) await expectEmpty(reopened, name);
          expect(await reopened.get(reopened.idFromName("open")).storage.get("k")).toBe("again");
        }
      } finally {
        await t.cleanup();
      }
    });

    it("leaves preventEviction namespaces untouched; deleteAllDurableObjects() wipes the others", async () => {
      const t = await setup(backend);
      try {
        const wiped = t.open({ uniqueKey: "-A" });
        const wiped2 = t.open({ uniqueKey: "-B", mode: "kv" });
        const kept = t.open({ uniqueKey: "-Kept", preventEviction: true });
        expect([wiped.preventEviction, kept.preventEviction]).toEqual([false, true]);
        for (const ns of [wiped, wiped2, kept]) {
          const { storage } = ns.get(ns.idFromName("x"));
          await storage.put("k", "v");
          await storage.setAlarm(t.clock.now() + HOUR);
        }
        await deleteAllDurableObjects([wiped, kept, wiped2]);
        await kept.deleteAll(); // also a no-op when called directly
        for (const ns of [wiped, wiped2]) {
          expect(await ns.get(ns.idFromName("x")).storage.get("k")).toBeUndefined();
          expect(await ns.get(ns.idFromName("x")).storage.getAlarm()).toBeNull();
        }
        expect(await kept.get(kept.idFromName("x")).storage.get("k")).toBe("v");
        expect(await kept.get(kept.idFromName("x")).storage.getAlarm()).toBe(t.clock.now() + HOUR);
        if (t.dir !== undefined) {
          expect(await readdir(join(t.dir, "-Kept"))).toContain(`${kept.idFromName("x")}.sqlite`);
          expect(scheduleRows(join(t.dir, "-Kept", "metadata.sqlite"))).toBe(1);
        }
        await t.advance(HOUR);
        expect(t.runs).toEqual(["-Kept:x"]);
      } finally {
        await t.cleanup();
      }
    });
  });
}

describe("deleteAll() on files, edge cases", () => {
  it("empties a schedule left by another instance even without an alarm handler, and works after close()", async () => {
    const t = await setup({ blobs: "memory", engine: "native", database: "file" });
    try {
      const writer = t.open();
      await writer.get(writer.idFromName("a")).storage.setAlarm(t.clock.now() + HOUR);
      await writer.close();
      const metadata = join(t.dir!, KEY, "metadata.sqlite");
      expect(scheduleRows(metadata)).toBe(1);
      const noHandler = t.open({ onAlarm: undefined });
      await noHandler.deleteAll();
      expect(scheduleRows(metadata)).toBe(0);
      expect((await readdir(join(t.dir!, KEY))).filter((file) => !file.startsWith("metadata.sqlite"))).toEqual([]);

      const closed = t.open();
      await closed.get(closed.idFromName("b")).storage.setAlarm(t.clock.now() + HOUR);
      await closed.close();
      await closed.deleteAll();
      expect(scheduleRows(metadata)).toBe(0);
      expect(existsSync(join(t.dir!, KEY, `${closed.idFromName("b")}.sqlite`))).toBe(false);
    } finally {
      await t.cleanup();
    }
  });

  it("deletes what it can and names the files it could not in an AggregateError", async () => {
    const t = await setup({ blobs: "memory", engine: "native", database: "file" });
    try {
      const ns = t.open();
      await ns.get(ns.idFromName("a")).storage.put("k", 1);
      // A directory where a -shm file would be: unlink fails (EISDIR) and is not retried.
      const stuck = join(t.dir!, KEY, `${ns.idFromName("stuck")}.sqlite-shm`);
      await mkdir(stuck);
      const error = await ns.deleteAll().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AggregateError);
      expect((error as AggregateError).message).toContain(stuck);
      // The tombstone stays: the drop is not finished.
      expect((await readdir(join(t.dir!, KEY))).sort()).toEqual([".cellar-tombstone", `${ns.idFromName("stuck")}.sqlite-shm`]);
      expect(await ns.get(ns.idFromName("a")).storage.get("k")).toBeUndefined();
      await ns.get(ns.idFromName("a")).storage.put("k", "new");
      await rm(stuck, { recursive: true });
      await ns.close();
      // The next open completes it, keeping what was written after the tombstone.
      const reopened = t.open();
      expect(existsSync(join(t.dir!, KEY, ".cellar-tombstone"))).toBe(false);
      expect(await reopened.get(reopened.idFromName("a")).storage.get("k")).toBe("new");
    } finally {
      await t.cleanup();
    }
  });
});
