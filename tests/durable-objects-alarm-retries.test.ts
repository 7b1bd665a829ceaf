import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createDurableObjectNamespace, type CellarDurableObjectNamespace } from "@cellar/durable-objects";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";
import { describe, expect, it } from "vitest";
import { FakeAlarmClock, openDurableObjectAlarmsFixture } from "./support/durable-objects-alarm-fixtures.ts";
import { jsonLines, runTsx } from "./support/spawn-tsx.ts";
import { withTempDir } from "./support/with-temp-dir.ts";

const here = dirname(fileURLToPath(import.meta.url));
const KEY = "-Retried";
const START = Date.UTC(2026, 0, 1);
const ns = (ms: number): bigint => BigInt(ms) * 1_000_000n;

/** Runs tests/support/durable-objects-alarm-retry-child.ts; one parsed JSON value per stdout line. */
async function runChild(args: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; lines: any[]; stderr: string }> {
  const { code, signal, stdout, stderr } = await runTsx(join(here, "support", "durable-objects-alarm-retry-child.ts"), args);
  return { code, signal, stderr, lines: jsonLines(stdout) };
}

/** Reads `metadata.sqlite` through a better-sqlite3 connection of its own: `_cf_ALARM` and the retry table. */
function schedule(dir: string): { columns: string[]; alarms: unknown[]; retries: unknown[] } {
  const db = createSqliteEngine().open(join(dir, KEY, "metadata.sqlite"));
  try {
    const columns = db.prepare<{ name: string }>("SELECT name FROM pragma_table_info('_cf_ALARM')").all().map((column) => column.name);
    const alarms = db.prepare("SELECT actor_id, scheduled_time FROM _cf_ALARM").safeIntegers(true).all();
    const hasRetries = db.prepare("SELECT 1 FROM sqlite_master WHERE name = '_cellar_alarm_retries'").get() !== undefined;
    const retries = hasRetries ? db.prepare("SELECT actor_id, scheduled_time, retry_count, retry_at FROM _cellar_alarm_retries").safeIntegers(true).all() : [];
    return { columns, alarms, retries };
  } finally {
    db.close();
  }
}

/** A namespace over `dir` on `clock` whose handler records `[retryCount, time]` and then does `behaviour`. */
function open(dir: string, clock: FakeAlarmClock, runs: [number, number][], behaviour: () => void = () => undefined): CellarDurableObjectNamespace {
  return createDurableObjectNamespace({
    uniqueKey: KEY,
    engine: createSqliteEngine(),
    directory: dir,
    timers: clock.timers,
    onAlarm: (_id, info) => {
      runs.push([info.retryCount, clock.now()]);
      behaviour();
    },
  });
}

const fail = (): never => {
  throw new Error("handler failed");
};

describe("alarm retries survive a restart (spec O5)", () => {
  it("a new process resumes a pending retry with its count, its backoff and the 6-retry limit", async () => {
    await withTempDir("cellar-do-retry-", async (dir) => {
      const clock = new FakeAlarmClock(START);
      const runs: [number, number][] = [];
      const first = open(dir, clock, runs, fail);
      const id = first.idFromName("object").toString();
      const at = clock.now() + 1_000;
      await first.get(first.idFromName("object")).storage.setAlarm(at);
      await clock.advance(1_000, () => first.alarmsSettled());
      await clock.advance(2_500, () => first.alarmsSettled());
      expect(runs.map(([count]) => count)).toEqual([0, 1]);
      await first.close();

      // workerd's table is untouched (its 2 columns, the alarm's own time); the retry has a table of its own.
      const stored = schedule(dir);
      expect(stored.columns).toEqual(["actor_id", "scheduled_time"]);
      expect(stored.alarms).toEqual([{ actor_id: id, scheduled_time: ns(at) }]);
      expect(stored.retries).toEqual([{ actor_id: id, scheduled_time: ns(at), retry_count: 2n, retry_at: expect.any(BigInt) }]);
      const retryAt = Number((stored.retries[0] as { retry_at: bigint }).retry_at);
      expect(retryAt - runs[1]![1]).toBeGreaterThanOrEqual(4_000);
      expect(retryAt - runs[1]![1]).toBeLessThanOrEqual(5_000);

      // The next process starts 1 s later, before the retry is due, and fails every run too.
      const child = await runChild([dir, KEY, String(clock.now() + 1_000), "run", "600000"]);
      expect(child.stderr).toBe("");
      expect(child.code).toBe(0);
      const childRuns = child.lines.slice(0, -1) as { retryCount: number; isRetry: boolean; at: number }[];
      expect(childRuns.map((run) => [run.retryCount, run.isRetry])).toEqual([
        [2, true],
        [3, true],
        [4, true],
        [5, true],
        [6, true],
      ]);
      expect(childRuns[0]!.at).toBe(retryAt);
      for (let n = 0; n < 4; n++) {
        const delay = childRuns[n + 1]!.at - childRuns[n]!.at;
        expect(delay).toBeGreaterThanOrEqual(2_000 * 2 ** (n + 2));
        expect(delay).toBeLessThanOrEqual(2_000 * 2 ** (n + 2) * 1.25);
      }
      // Retries exhausted: the alarm is cleared everywhere, its retry too.
      expect(child.lines.at(-1)).toEqual({ after: null });
      expect(schedule(dir)).toMatchObject({ alarms: [], retries: [] });
    });
  }, 30_000);

  it("ignores (and deletes) a retry whose alarm was replaced meanwhile, as workerd would replace it", async () => {
    await withTempDir("cellar-do-retry-", async (dir) => {
      const clock = new FakeAlarmClock(START);
      const runs: [number, number][] = [];
      const first = open(dir, clock, runs, fail);
      await first.get(first.idFromName("object")).storage.setAlarm(clock.now() + 1_000);
      await clock.advance(1_000, () => first.alarmsSettled());
      await first.close();
      expect(schedule(dir).retries).toHaveLength(1);

      // workerd moves the alarm to a new time in both files, knowing nothing of the retry table.
      const replaced = clock.now() + 30_000;
      const id = first.idFromName("object").toString();
      for (const [file, sql] of [
        ["metadata.sqlite", "UPDATE _cf_ALARM SET scheduled_time = ?"],
        [`${id}.sqlite`, "UPDATE _cf_METADATA SET value = ? WHERE key = 1"],
      ] as const) {
        const db = createSqliteEngine().open(join(dir, KEY, file));
        db.prepare(sql).run(ns(replaced));
        db.close();
      }
      const second = open(dir, clock, runs);
      expect(schedule(dir).retries).toEqual([]);
      await clock.advance(30_000, () => second.alarmsSettled());
      expect(runs).toEqual([
        [0, START + 1_000],
        [0, replaced],
      ]);
      await second.close();
    });
  });
});

describe("the schedule hears of an earlier alarm before the object's commit, of a later one after it", () => {
  it("a failed commit leaves an earlier time in the schedule, which wakes, runs nothing and goes back to the committed alarm", async () => {
    const fixture = await openDurableObjectAlarmsFixture({ blobs: "memory", engine: "native", database: "file" });
    try {
      const { storage, clock } = fixture;
      const committed = clock.now() + 10_000;
      await storage.setAlarm(committed);
      fixture.failNextCommit!();
      await expect(storage.setAlarm(clock.now() + 1_000)).rejects.toThrow("FOREIGN KEY");
      expect(await fixture.rawAlarm!()).toEqual({ metadata: ns(committed), scheduled: ns(clock.now() + 1_000) });
      // A later time waits for the commit: when that fails, the schedule never hears of it.
      fixture.failNextCommit!();
      await expect(storage.setAlarm(clock.now() + 20_000)).rejects.toThrow("FOREIGN KEY");
      expect(await fixture.rawAlarm!()).toEqual({ metadata: ns(committed), scheduled: ns(clock.now() + 1_000) });
      await clock.advance(1_000);
      expect(fixture.runs).toEqual([]);
      expect(await fixture.rawAlarm!()).toEqual({ metadata: ns(committed), scheduled: ns(committed) });
      await clock.advance(9_000);
      expect(fixture.runs.map((run) => run.at)).toEqual([committed]);
    } finally {
      await fixture.cleanup();
    }
  });

  it("killed right after committing an earlier alarm: the next process fires it at its time", async () => {
    await withTempDir("cellar-do-retry-", async (dir) => {
      const child = await runChild([dir, KEY, String(START), "kill-after-commit", String(START + 60_000), String(START + 1_000)]);
      expect(child.signal, child.stderr).toBe("SIGKILL");
      const clock = new FakeAlarmClock(START);
      const runs: [number, number][] = [];
      const next = open(dir, clock, runs);
      expect(await next.get(next.idFromName("object")).storage.getAlarm()).toBe(START + 1_000);
      expect(schedule(dir).alarms).toEqual([{ actor_id: next.idFromName("object").toString(), scheduled_time: ns(START + 1_000) }]);
      await clock.advance(1_000, () => next.alarmsSettled());
      expect(runs).toEqual([[0, START + 1_000]]);
      await next.close();
    });
  }, 30_000);

  it("killed right after committing a later alarm: the next process wakes at the old time, runs nothing, and fires at the new one", async () => {
    await withTempDir("cellar-do-retry-", async (dir) => {
      const child = await runChild([dir, KEY, String(START), "kill-after-commit", String(START + 1_000), String(START + 60_000)]);
      expect(child.signal, child.stderr).toBe("SIGKILL");
      const clock = new FakeAlarmClock(START);
      const runs: [number, number][] = [];
      const next = open(dir, clock, runs);
      const id = next.idFromName("object").toString();
      // The schedule is early, never late: it still holds the old time.
      expect(schedule(dir).alarms).toEqual([{ actor_id: id, scheduled_time: ns(START + 1_000) }]);
      await clock.advance(1_000, () => next.alarmsSettled());
      expect(runs).toEqual([]);
      expect(schedule(dir).alarms).toEqual([{ actor_id: id, scheduled_time: ns(START + 60_000) }]);
      await clock.advance(59_000, () => next.alarmsSettled());
      expect(runs).toEqual([[0, START + 60_000]]);
      await next.close();
    });
  }, 30_000);
});
