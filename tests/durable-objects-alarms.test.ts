import { mkdir } from "node:fs/promises";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describeDurableObjectAlarms } from "@cellar/conformance";
import { ALARM_HANDLER_TIMEOUT_MS, createDurableObjectNamespace } from "@cellar/durable-objects";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";
import { describe, expect, it } from "vitest";
import { SQL_BACKENDS } from "./support/backends.ts";
import { durableObjectAlarmsSuiteOptions, FakeAlarmClock } from "./support/durable-objects-alarm-fixtures.ts";
import { jsonLines, runTsx } from "./support/spawn-tsx.ts";
import { withTempDir } from "./support/with-temp-dir.ts";

// The alarm group of the Durable Object suite on better-sqlite3 and sql.js, in memory and in files.
for (const backend of SQL_BACKENDS) describeDurableObjectAlarms(durableObjectAlarmsSuiteOptions(backend));

const here = dirname(fileURLToPath(import.meta.url));
const WORKERD_ALARM_TABLE = `CREATE TABLE _cf_ALARM (
      actor_id TEXT PRIMARY KEY,
      scheduled_time INTEGER
    ) WITHOUT ROWID`;

/** Runs tests/support/durable-objects-alarm-child.ts; one parsed JSON value per stdout line. */
async function runChild(args: string[]): Promise<{ code: number | null; lines: any[]; stderr: string }> {
  const { code, stdout, stderr } = await runTsx(join(here, "support", "durable-objects-alarm-child.ts"), args);
  return { code, stderr, lines: jsonLines(stdout) };
}

describe("durable object alarms on disk", () => {
  it("survive a restart: a new process fires the alarm that fell due while nothing ran", async () => {
    await withTempDir("cellar-do-alarm-", async (dir) => {
      const ran: string[] = [];
      const ns = createDurableObjectNamespace({ uniqueKey: "-Restart", engine: createSqliteEngine(), directory: dir, onAlarm: (id) => void ran.push(id.toString()) });
      const id = ns.idFromName("restart");
      const { storage } = ns.get(id);
      const at = Date.now() + 60_000;
      await storage.put("k", "from the parent");
      await storage.setAlarm(at);
      await ns.close();
      expect(ran).toEqual([]);

      // The child's clock is 2 minutes ahead: the alarm is overdue when it opens the directory.
      const child = await runChild([dir, "-Restart", "120000", id.toString()]);
      expect(child.stderr).toBe("");
      expect(child.code).toBe(0);
      expect(child.lines).toEqual([{ id: id.toString(), retryCount: 0, isRetry: false, scheduledTime: at, value: "from the parent" }, { after: null }]);

      // The child cleared it after the handler succeeded, in both files.
      const reopened = createDurableObjectNamespace({ uniqueKey: "-Restart", engine: createSqliteEngine(), directory: dir, onAlarm: (alarmId) => void ran.push(alarmId.toString()) });
      expect(await reopened.get(id).storage.getAlarm()).toBeNull();
      await reopened.close();
      const db = createSqliteEngine().open(join(dir, "-Restart", "metadata.sqlite"));
      expect(db.prepare("SELECT count(*) AS n FROM _cf_ALARM").get()).toEqual({ n: 0 });
      db.close();
      expect(ran).toEqual([]);
    });
  }, 30_000);

  it("keeps each namespace's schedule in its own metadata.sqlite, with workerd's 2-column table", async () => {
    await withTempDir("cellar-do-alarm-", async (dir) => {
      const clock = new FakeAlarmClock(Date.UTC(2026, 0, 1));
      const open = (uniqueKey: string) => createDurableObjectNamespace({ uniqueKey, engine: createSqliteEngine(), directory: dir, timers: clock.timers, onAlarm: () => undefined });
      const a = open("-A");
      const b = open("-B");
      // No alarm yet: no file, not even the namespace directory.
      expect(existsSync(join(dir, "-A"))).toBe(false);
      await a.get(a.idFromName("x")).storage.setAlarm(clock.now() + 1_000);
      await b.get(b.idFromName("y")).storage.setAlarm(clock.now() + 2_000);
      await a.close();
      await b.close();
      for (const [key, name, offset] of [["-A", "x", 1_000], ["-B", "y", 2_000]] as const) {
        const db = createSqliteEngine().open(join(dir, key, "metadata.sqlite"));
        expect(db.prepare("SELECT sql FROM sqlite_master WHERE name = '_cf_ALARM'").get()).toEqual({ sql: WORKERD_ALARM_TABLE });
        const ns = open(key);
        expect(db.prepare("SELECT actor_id, scheduled_time FROM _cf_ALARM").safeIntegers(true).all()).toEqual([
          { actor_id: ns.idFromName(name).toString(), scheduled_time: BigInt(clock.now() + offset) * 1_000_000n },
        ]);
        expect(db.prepare("SELECT name FROM pragma_table_info('_cf_ALARM')").all().map((column) => column.name)).toEqual(["actor_id", "scheduled_time"]);
        db.close();
        await ns.close();
      }
    });
  });

  it("writes and reads actor_name where a newer workerd added the column, without altering anything", async () => {
    await withTempDir("cellar-do-alarm-", async (dir) => {
      const location = join(dir, "-Named", "metadata.sqlite");
      await mkdir(dirname(location), { recursive: true });
      const seed = createSqliteEngine().open(location);
      seed.exec(WORKERD_ALARM_TABLE);
      seed.exec("ALTER TABLE _cf_ALARM ADD COLUMN actor_name TEXT");
      seed.close();

      const clock = new FakeAlarmClock(Date.UTC(2026, 0, 1));
      const names: (string | undefined)[] = [];
      const open = () =>
        createDurableObjectNamespace({ uniqueKey: "-Named", engine: createSqliteEngine(), directory: dir, timers: clock.timers, onAlarm: (id) => void names.push(id.name) });
      const first = open();
      const id = first.idFromName("alice");
      await first.get(id).storage.setAlarm(clock.now() + 1_000);
      await first.close();
      const db = createSqliteEngine().open(location);
      expect(db.prepare("SELECT actor_id, actor_name FROM _cf_ALARM").all()).toEqual([{ actor_id: id.toString(), actor_name: "alice" }]);
      db.close();

      // After a restart the handler's id still has its name, read back from the file (spec O6).
      const second = open();
      await clock.advance(1_000, () => second.alarmsSettled());
      expect(names).toEqual(["alice"]);
      await second.close();
    });
  });
});

describe("alarm handler timeout", () => {
  it("counts a handler still running after 15 minutes as failed, and retries it", async () => {
    // Timers fired by hand: a handler that never finishes would block a clock that waits for handlers.
    let now = 1_000_000;
    const timers = new Map<number, { at: number; callback: () => void }>();
    let nextTimer = 1;
    const runs: { retryCount: number; isRetry: boolean }[] = [];
    let release!: () => void;
    const ns = createDurableObjectNamespace({
      uniqueKey: "-Timeout",
      engine: createSqliteEngine(),
      timers: {
        now: () => now,
        setTimeout: (callback, ms) => {
          timers.set(nextTimer, { at: now + ms, callback });
          return nextTimer++;
        },
        clearTimeout: (handle) => void timers.delete(handle as number),
        random: () => 0,
      },
      onAlarm: (_id, info) => {
        runs.push({ retryCount: info.retryCount, isRetry: info.isRetry });
        // The first run hangs until the test releases it, long after its time is up.
        if (runs.length === 1) return new Promise<void>((resolve) => (release = resolve));
      },
    });
    /** Fires the earliest timer, moving the clock to it; returns its delay from the previous time. */
    const fireNext = async (): Promise<number> => {
      const [handle, next] = [...timers].sort((a, b) => a[1].at - b[1].at)[0]!;
      timers.delete(handle);
      const delay = next.at - now;
      now = Math.max(now, next.at);
      next.callback();
      for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
      return delay;
    };
    const { storage } = ns.get(ns.idFromName("slow"));
    await storage.setAlarm(now + 1_000);
    expect(await fireNext()).toBe(1_000); // the alarm: the handler starts and hangs
    expect(runs).toEqual([{ retryCount: 0, isRetry: false }]);
    expect(await fireNext()).toBe(ALARM_HANDLER_TIMEOUT_MS); // its time is up
    expect(await storage.getAlarm()).toBe(1_001_000); // still set: it will be retried
    expect(await fireNext()).toBe(2_000); // the first retry's backoff (no jitter)
    expect(runs).toEqual([
      { retryCount: 0, isRetry: false },
      { retryCount: 1, isRetry: true },
    ]);
    expect(await storage.getAlarm()).toBeNull(); // the retry succeeded
    release(); // the overrun handler finishing late changes nothing
    await new Promise((resolve) => setImmediate(resolve));
    expect(await storage.getAlarm()).toBeNull();
    expect(runs).toHaveLength(2);
    await ns.close();
  });
});
