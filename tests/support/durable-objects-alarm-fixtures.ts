import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AlarmInfoLike, AlarmRunRecord, DescribeDurableObjectAlarmsOptions, DurableObjectAlarmStorageLike, DurableObjectAlarmsFixture } from "@cellar/conformance";
import { createDurableObjectNamespace, type AlarmTimers, type CellarDurableObjectNamespace } from "@cellar/durable-objects";
import { idFromName } from "@cellar/metadata-store";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";
import { backendName, engineOf, type Backend } from "./backends.ts";

export const ALARM_UNIQUE_KEY = "-TestAlarmObject";

/**
 * A fake time source for alarms: timers run only when `advance` reaches them, in time order, so
 * tests never sleep. `random` (the retry jitter) cycles through fixed values in [0, 1).
 */
export class FakeAlarmClock {
  #now: number;
  #nextId = 1;
  #jitter = 0;
  readonly #timers = new Map<number, { at: number; callback: () => void }>();

  constructor(start: number) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  /** The `timers` option of a namespace. */
  readonly timers: AlarmTimers = {
    now: () => this.#now,
    setTimeout: (callback, ms) => {
      const id = this.#nextId++;
      this.#timers.set(id, { at: this.#now + Math.max(0, ms), callback });
      return id;
    },
    clearTimeout: (handle) => void this.#timers.delete(handle as number),
    random: () => (this.#jitter = (this.#jitter + 0.37) % 1),
  };

  /** Moves time forward without running anything (the process was down). */
  pass(ms: number): void {
    this.#now += ms;
  }

  /** Moves time forward by `ms`, running each timer that falls due and waiting (`settle`) for the work it starts. */
  async advance(ms: number, settle: () => Promise<void>): Promise<void> {
    const target = this.#now + ms;
    for (let fired = 0; ; fired++) {
      // A broken implementation that refires an alarm endlessly must fail the test, not hang it.
      if (fired > 1_000) throw new Error("more than 1000 timers fell due in one advance: an alarm keeps firing");
      await settle();
      let next: [number, { at: number; callback: () => void }] | undefined;
      for (const entry of this.#timers) if (entry[1].at <= target && (next === undefined || entry[1].at < next[1].at)) next = entry;
      if (next === undefined) break;
      this.#timers.delete(next[0]);
      this.#now = Math.max(this.#now, next[1].at);
      next[1].callback();
    }
    this.#now = target;
    await settle();
  }
}

/**
 * An object in a namespace with an alarm handler (recording every run), on a {@link FakeAlarmClock},
 * in memory or in a temp directory; `wrap` lets a broken implementation stand in for the storage.
 */
export async function openDurableObjectAlarmsFixture(
  backend: Backend,
  wrap: (storage: DurableObjectAlarmStorageLike) => DurableObjectAlarmStorageLike = (storage) => storage,
): Promise<DurableObjectAlarmsFixture> {
  const engine = await engineOf(backend);
  const dir = backend.database === "file" ? await mkdtemp(join(tmpdir(), "cellar-do-alarm-")) : undefined;
  const clock = new FakeAlarmClock(Date.UTC(2026, 0, 1));
  const runs: AlarmRunRecord[] = [];
  let behaviour: (storage: DurableObjectAlarmStorageLike, info: AlarmInfoLike) => void | Promise<void> = () => undefined;
  let namespace!: CellarDurableObjectNamespace;
  let withoutHandler!: CellarDurableObjectNamespace;
  const open = (): void => {
    const ns = createDurableObjectNamespace({
      uniqueKey: ALARM_UNIQUE_KEY,
      engine,
      directory: dir,
      timers: clock.timers,
      onAlarm: async (id, info) => {
        runs.push({ id: id.toString(), retryCount: info.retryCount, isRetry: info.isRetry, at: clock.now() });
        await behaviour(wrap(ns.get(id).storage), info);
      },
    });
    namespace = ns;
    withoutHandler = createDurableObjectNamespace({ uniqueKey: "-TestNoAlarmHandler", engine, directory: dir });
  };
  const closeAll = async (): Promise<void> => {
    await namespace.close();
    await withoutHandler.close();
  };
  const storage = (): DurableObjectAlarmStorageLike => wrap(namespace.get(namespace.idFromName("object")).storage);
  open();
  return {
    get storage() {
      return storage();
    },
    get withoutHandler() {
      return withoutHandler.get(withoutHandler.idFromName("object")).storage;
    },
    runs,
    onAlarm(next) {
      behaviour = next;
    },
    clock: { now: () => clock.now(), advance: (ms) => clock.advance(ms, () => namespace.alarmsSettled()) },
    reopen:
      dir === undefined
        ? undefined
        : async (options) => {
            await closeAll();
            clock.pass(options?.downFor ?? 0);
            open();
          },
    rawAlarm:
      dir === undefined
        ? undefined
        : async () => {
            await storage().sync();
            await namespace.alarmsSettled();
            return rawAlarm(dir);
          },
    failNextCommit: () => {
      // A deferred foreign key is checked at COMMIT (connections enforce foreign keys): the orphan
      // row fails the commit, and everything in that transaction, its own tables included, rolls back.
      const { sql } = namespace.get(namespace.idFromName("object")).storage;
      sql.exec("CREATE TABLE IF NOT EXISTS fail_parent (id INTEGER PRIMARY KEY)");
      sql.exec("CREATE TABLE IF NOT EXISTS fail_child (parent INTEGER REFERENCES fail_parent (id) DEFERRABLE INITIALLY DEFERRED)");
      sql.exec("INSERT INTO fail_child VALUES (1)");
    },
    async cleanup() {
      await closeAll();
      if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Reads the committed alarm from both files through better-sqlite3 connections of their own. */
function rawAlarm(dir: string): { metadata: bigint | null | undefined; scheduled: bigint | undefined } {
  const namespaceDir = join(dir, ALARM_UNIQUE_KEY);
  const read = <T>(file: string, table: string, sql: string, param: unknown): T | undefined => {
    const location = join(namespaceDir, file);
    if (!existsSync(location)) return undefined;
    const db = createSqliteEngine().open(location);
    try {
      if (db.prepare("SELECT 1 FROM sqlite_master WHERE name = ?").get(table) === undefined) return undefined;
      return db.prepare<T>(sql).safeIntegers(true).get(param as string);
    } finally {
      db.close();
    }
  };
  const id = idFromName(ALARM_UNIQUE_KEY, "object");
  const metadata = read<{ value: bigint | null }>(`${id}.sqlite`, "_cf_METADATA", "SELECT value FROM _cf_METADATA WHERE key = ?", 1);
  const scheduled = read<{ scheduled_time: bigint }>("metadata.sqlite", "_cf_ALARM", "SELECT scheduled_time FROM _cf_ALARM WHERE actor_id = ?", id);
  return { metadata: metadata === undefined ? undefined : metadata.value, scheduled: scheduled?.scheduled_time };
}

export function durableObjectAlarmsSuiteOptions(backend: Backend): DescribeDurableObjectAlarmsOptions {
  return { name: backendName(backend, { blobs: false }), create: () => openDurableObjectAlarmsFixture(backend) };
}
