import { afterEach, describe, expect, it } from "vitest";

/** The storage calls the alarm suite drives (structural: any implementation fits). */
export interface DurableObjectAlarmStorageLike {
  get(key: string, options?: unknown): Promise<any>;
  put(key: string, value: unknown, options?: unknown): Promise<void>;
  deleteAll(options?: unknown): Promise<void>;
  transaction<T>(closure: (txn: any) => Promise<T>): Promise<T>;
  sync(): Promise<void>;
  getAlarm(options?: unknown): Promise<number | null>;
  setAlarm(scheduledTime: number | Date, options?: unknown): Promise<void>;
  deleteAlarm(options?: unknown): Promise<void>;
}

/** What the alarm handler is told. */
export interface AlarmInfoLike {
  readonly retryCount: number;
  readonly isRetry: boolean;
}

/** One run of the alarm handler, as the fixture recorded it. */
export interface AlarmRunRecord {
  /** The object's id (64 hex). */
  readonly id: string;
  readonly retryCount: number;
  readonly isRetry: boolean;
  /** The fake clock's time when the handler started. */
  readonly at: number;
}

/** One object in a namespace with an alarm handler, on a fake clock. */
export interface DurableObjectAlarmsFixture {
  /** The storage of the object under test (after `reopen`, the reopened one). */
  readonly storage: DurableObjectAlarmStorageLike;
  /** An object of a namespace that has no alarm handler. */
  readonly withoutHandler: DurableObjectAlarmStorageLike;
  /** Every handler run so far, in order (across reopens). */
  readonly runs: readonly AlarmRunRecord[];
  /** What the handler does besides recording its run (default: nothing); it gets the object's storage. */
  onAlarm(behaviour: (storage: DurableObjectAlarmStorageLike, info: AlarmInfoLike) => void | Promise<void>): void;
  /** The injected clock. `advance` runs the timers that fall due and waits until their handlers have finished. */
  readonly clock: { now(): number; advance(ms: number): Promise<void> };
  /**
   * Closes everything (timers stop), lets `downFor` ms pass with nothing running, and opens the
   * namespace again over the same files. Undefined when nothing outlives a close (memory).
   */
  readonly reopen: ((options?: { downFor?: number }) => Promise<void>) | undefined;
  /**
   * Backdoor: the committed alarm of the object in its own file (`_cf_METADATA` key 1: undefined
   * without a row, null when cleared) and in the namespace's `metadata.sqlite` (`_cf_ALARM`
   * `scheduled_time`, undefined without a row), both in ns. Undefined in memory.
   */
  readonly rawAlarm: (() => Promise<{ metadata: bigint | null | undefined; scheduled: bigint | undefined }>) | undefined;
  /**
   * Backdoor: makes the object's next commit fail at `COMMIT` (as a constraint checked at commit
   * does), so everything written with it rolls back. Call it right before the write, in the same
   * synchronous turn. Undefined when the implementation cannot arrange that.
   */
  readonly failNextCommit?: (() => void) | undefined;
  cleanup(): Promise<void>;
}

/** What `describeDurableObjectAlarms` needs. */
export interface DescribeDurableObjectAlarmsOptions {
  /** Shown in test titles. */
  readonly name: string;
  /** A fresh, isolated object per test. */
  readonly create: () => Promise<DurableObjectAlarmsFixture>;
}

const SET_ALARM_NOT_POSITIVE = "setAlarm() cannot be called with an alarm time <= 0";
const SET_ALARM_WITHOUT_HANDLER = "Your Durable Object class must have an alarm() handler in order to call setAlarm()";

async function caught(run: () => unknown): Promise<Error> {
  try {
    await run();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected an error, but the call succeeded");
}

/**
 * Alarms (spec durable-objects.md §1-§4): `setAlarm`/`getAlarm`/`deleteAlarm`, their transaction
 * semantics, firing, clearing, retries with backoff and persistence.
 */
export function describeDurableObjectAlarms(options: DescribeDurableObjectAlarmsOptions): void {
  describe(`durable objects ${options.name} alarms`, () => {
    const open: DurableObjectAlarmsFixture[] = [];
    afterEach(async () => {
      for (const fixture of open.splice(0)) await fixture.cleanup();
    });
    const fresh = async (): Promise<DurableObjectAlarmsFixture> => {
      const fixture = await options.create();
      open.push(fixture);
      return fixture;
    };

    it("validates setAlarm with the runtime's messages and round-trips Date and ms times", async () => {
      const fixture = await fresh();
      const { storage, clock } = fixture;
      for (const bad of [0, -5, new Date(0)]) {
        const error = await caught(() => storage.setAlarm(bad));
        expect(error).toBeInstanceOf(TypeError);
        expect(error.message).toBe(SET_ALARM_NOT_POSITIVE);
      }
      const noHandler = await caught(() => fixture.withoutHandler.setAlarm(clock.now() + 1000));
      expect(noHandler).toBeInstanceOf(TypeError);
      expect(noHandler.message).toBe(SET_ALARM_WITHOUT_HANDLER);
      expect(await fixture.withoutHandler.getAlarm()).toBeNull();
      expect(await storage.getAlarm()).toBeNull();
      const t = clock.now() + 60_000;
      await storage.setAlarm(new Date(t));
      expect(await storage.getAlarm()).toBe(t);
      await storage.setAlarm(t + 1000);
      expect(await storage.getAlarm()).toBe(t + 1000);
      // A past time means now.
      await storage.setAlarm(1);
      expect(await storage.getAlarm()).toBe(clock.now());
      await storage.deleteAlarm();
      expect(await storage.getAlarm()).toBeNull();
      await storage.deleteAlarm();
      await clock.advance(120_000);
      expect(fixture.runs).toEqual([]);
    });

    it("fires a due alarm once, not before, and clears it after the handler succeeds", async () => {
      const fixture = await fresh();
      const { storage, clock } = fixture;
      const seen: (number | null)[] = [];
      fixture.onAlarm(async (object) => void seen.push(await object.getAlarm()));
      const t = clock.now() + 10_000;
      await storage.setAlarm(t);
      await clock.advance(9_999);
      expect(fixture.runs).toEqual([]);
      await clock.advance(1);
      expect(fixture.runs).toEqual([expect.objectContaining({ retryCount: 0, isRetry: false, at: t })]);
      // While its handler runs, getAlarm() is null; afterwards the alarm is gone.
      expect(seen).toEqual([null]);
      expect(await storage.getAlarm()).toBeNull();
      await clock.advance(600_000);
      expect(fixture.runs).toHaveLength(1);
    });

    it("keeps an alarm the handler sets, and fires it at its new time", async () => {
      const fixture = await fresh();
      const { storage, clock } = fixture;
      const seen: (number | null)[] = [];
      fixture.onAlarm(async (object) => {
        if (fixture.runs.length > 1) return;
        await object.setAlarm(clock.now() + 5_000);
        seen.push(await object.getAlarm());
      });
      const t = clock.now() + 1_000;
      await storage.setAlarm(t);
      await clock.advance(1_000);
      expect(seen).toEqual([t + 5_000]);
      expect(await storage.getAlarm()).toBe(t + 5_000);
      await clock.advance(5_000);
      expect(fixture.runs.map((run) => [run.at, run.retryCount])).toEqual([
        [t, 0],
        [t + 5_000, 0],
      ]);
      expect(await storage.getAlarm()).toBeNull();
    });

    it("rolls an alarm back with its transaction, and commits it with one", async () => {
      const fixture = await fresh();
      const { storage, clock } = fixture;
      const t = clock.now() + 1_000;
      await expect(
        storage.transaction(async (txn) => {
          await txn.setAlarm(t);
          expect(await txn.getAlarm()).toBe(t);
          throw new Error("boom");
        }),
      ).rejects.toThrow("boom");
      expect(await storage.getAlarm()).toBeNull();
      await storage.transaction(async (txn) => {
        await txn.setAlarm(t);
        txn.rollback();
      });
      expect(await storage.getAlarm()).toBeNull();
      await clock.advance(5_000);
      expect(fixture.runs).toEqual([]);

      const later = clock.now() + 1_000;
      await storage.transaction(async (txn) => {
        await txn.put("k", 1);
        await txn.setAlarm(later);
      });
      expect(await storage.getAlarm()).toBe(later);
      // A rolled-back deleteAlarm leaves the alarm in place.
      await expect(
        storage.transaction(async (txn) => {
          await txn.deleteAlarm();
          expect(await txn.getAlarm()).toBeNull();
          throw new Error("boom");
        }),
      ).rejects.toThrow("boom");
      expect(await storage.getAlarm()).toBe(later);
      await clock.advance(1_000);
      expect(fixture.runs.map((run) => run.at)).toEqual([later]);
    });

    it("retries a throwing handler with 2 s·2^n backoff plus up to 25 % jitter, at most 6 times", async () => {
      const fixture = await fresh();
      const { storage, clock } = fixture;
      fixture.onAlarm(() => {
        throw new Error("handler failed");
      });
      await storage.setAlarm(clock.now() + 1_000);
      await clock.advance(1_000);
      for (let n = 0; n < 6; n++) await clock.advance(2_000 * 2 ** n * 1.25);
      await clock.advance(600_000);
      const runs = fixture.runs;
      expect(runs.map((run) => run.retryCount)).toEqual([0, 1, 2, 3, 4, 5, 6]);
      expect(runs.map((run) => run.isRetry)).toEqual([false, true, true, true, true, true, true]);
      for (let n = 0; n < 6; n++) {
        const delay = runs[n + 1]!.at - runs[n]!.at;
        expect(delay).toBeGreaterThanOrEqual(2_000 * 2 ** n);
        expect(delay).toBeLessThanOrEqual(2_000 * 2 ** n * 1.25);
      }
      // Given up: the alarm is gone.
      expect(await storage.getAlarm()).toBeNull();
    });

    it("clears the alarm once a retry succeeds", async () => {
      const fixture = await fresh();
      const { storage, clock } = fixture;
      fixture.onAlarm(() => {
        if (fixture.runs.length === 1) throw new Error("first run fails");
      });
      const t = clock.now() + 1_000;
      await storage.setAlarm(t);
      await clock.advance(1_000);
      // Between the failure and the retry the alarm is still set.
      expect(await storage.getAlarm()).toBe(t);
      await clock.advance(2_500);
      expect(fixture.runs.map((run) => run.retryCount)).toEqual([0, 1]);
      expect(await storage.getAlarm()).toBeNull();
      await clock.advance(600_000);
      expect(fixture.runs).toHaveLength(2);
    });

    it("lets an alarm set during a failing run win over the retry", async () => {
      const fixture = await fresh();
      const { storage, clock } = fixture;
      fixture.onAlarm(async (object) => {
        if (fixture.runs.length > 1) return;
        await object.setAlarm(clock.now() + 60_000);
        throw new Error("handler failed");
      });
      const t = clock.now() + 1_000;
      await storage.setAlarm(t);
      await clock.advance(1_000);
      await clock.advance(10_000);
      expect(fixture.runs).toHaveLength(1);
      expect(await storage.getAlarm()).toBe(t + 60_000);
      await clock.advance(50_000);
      expect(fixture.runs.map((run) => [run.at, run.retryCount])).toEqual([
        [t, 0],
        [t + 60_000, 0],
      ]);
    });

    it("starts a new alarm set while a retry is pending at retry 0", async () => {
      const fixture = await fresh();
      const { storage, clock } = fixture;
      fixture.onAlarm(() => {
        if (fixture.runs.length <= 2) throw new Error("handler failed");
      });
      await storage.setAlarm(clock.now() + 1_000);
      await clock.advance(1_000);
      await clock.advance(2_500);
      expect(fixture.runs.map((run) => run.retryCount)).toEqual([0, 1]);
      const t = clock.now() + 60_000;
      await storage.setAlarm(t);
      await clock.advance(60_000);
      expect(fixture.runs.map((run) => [run.at, run.retryCount])).toEqual([
        [fixture.runs[0]!.at, 0],
        [fixture.runs[1]!.at, 1],
        [t, 0],
      ]);
      expect(await storage.getAlarm()).toBeNull();
    });

    it("never runs the handler for an alarm whose commit failed, and keeps the alarm that did commit [failNextCommit]", async (context) => {
      const fixture = await fresh();
      if (fixture.failNextCommit === undefined) return context.skip();
      const { storage, clock } = fixture;
      // No alarm before: the failed one leaves none.
      fixture.failNextCommit();
      await expect(storage.setAlarm(clock.now() + 1_000)).rejects.toThrow();
      expect(await storage.getAlarm()).toBeNull();
      await clock.advance(5_000);
      expect(fixture.runs).toEqual([]);
      // An earlier time than the committed one (the case a scheduler learns of before the commit).
      const committed = clock.now() + 10_000;
      await storage.setAlarm(committed);
      fixture.failNextCommit();
      await expect(storage.setAlarm(clock.now() + 1_000)).rejects.toThrow();
      expect(await storage.getAlarm()).toBe(committed);
      await clock.advance(9_999);
      expect(fixture.runs).toEqual([]);
      await clock.advance(1);
      expect(fixture.runs.map((run) => run.at)).toEqual([committed]);
      expect(await storage.getAlarm()).toBeNull();
    });

    it("resumes a pending retry after a reopen with its count and backoff, up to the 6-retry limit [reopen]", async (context) => {
      const fixture = await fresh();
      if (fixture.reopen === undefined) return context.skip();
      fixture.onAlarm(() => {
        throw new Error("handler failed");
      });
      await fixture.storage.setAlarm(fixture.clock.now() + 1_000);
      await fixture.clock.advance(1_000);
      await fixture.clock.advance(2_500);
      expect(fixture.runs.map((run) => run.retryCount)).toEqual([0, 1]);
      // Down for 1 s: retry 2 stays due 4-5 s after run 1, not at once and not from 0.
      await fixture.reopen({ downFor: 1_000 });
      await fixture.clock.advance(0);
      expect(fixture.runs).toHaveLength(2);
      await fixture.clock.advance(5_000);
      expect(fixture.runs.map((run) => run.retryCount)).toEqual([0, 1, 2]);
      const delay = fixture.runs[2]!.at - fixture.runs[1]!.at;
      expect(delay).toBeGreaterThanOrEqual(4_000);
      expect(delay).toBeLessThanOrEqual(5_000);
      // Down past retry 3's time: it runs at once on open, still counted as retry 3.
      await fixture.reopen({ downFor: 60_000 });
      const reopenedAt = fixture.clock.now();
      await fixture.clock.advance(0);
      expect(fixture.runs.map((run) => [run.retryCount, run.isRetry])).toEqual([
        [0, false],
        [1, true],
        [2, true],
        [3, true],
      ]);
      expect(fixture.runs[3]!.at).toBe(reopenedAt);
      for (let n = 3; n < 6; n++) await fixture.clock.advance(2_000 * 2 ** n * 1.25);
      await fixture.clock.advance(600_000);
      // The limit counts the retries from before the reopens: 6, then the alarm is cleared.
      expect(fixture.runs.map((run) => run.retryCount)).toEqual([0, 1, 2, 3, 4, 5, 6]);
      expect(await fixture.storage.getAlarm()).toBeNull();
      await fixture.reopen({ downFor: 600_000 });
      await fixture.clock.advance(0);
      expect(fixture.runs).toHaveLength(7);
    });

    it("deletes the alarm with deleteAll", async () => {
      const fixture = await fresh();
      const { storage, clock } = fixture;
      await storage.put("k", 1);
      await storage.setAlarm(clock.now() + 1_000);
      await storage.deleteAll();
      expect(await storage.getAlarm()).toBeNull();
      await clock.advance(10_000);
      expect(fixture.runs).toEqual([]);
    });

    it("keeps alarms across a reopen, and fires one that fell due while closed at once [reopen]", async (context) => {
      const fixture = await fresh();
      if (fixture.reopen === undefined) return context.skip();
      const t = fixture.clock.now() + 10_000;
      await fixture.storage.setAlarm(t);
      await fixture.reopen();
      expect(await fixture.storage.getAlarm()).toBe(t);
      await fixture.clock.advance(10_000);
      expect(fixture.runs.map((run) => run.at)).toEqual([t]);
      expect(await fixture.storage.getAlarm()).toBeNull();

      const overdue = fixture.clock.now() + 1_000;
      await fixture.storage.setAlarm(overdue);
      await fixture.reopen({ downFor: 30_000 });
      expect(fixture.runs).toHaveLength(1);
      await fixture.clock.advance(0);
      expect(fixture.runs.map((run) => [run.at, run.retryCount])).toEqual([
        [t, 0],
        [overdue + 30_000 - 1_000, 0],
      ]);
      expect(await fixture.storage.getAlarm()).toBeNull();
    });

    it("stores the alarm in ns in _cf_METADATA key 1 and in metadata.sqlite's _cf_ALARM [rawAlarm]", async (context) => {
      const fixture = await fresh();
      if (fixture.rawAlarm === undefined) return context.skip();
      const { storage, clock } = fixture;
      expect(await fixture.rawAlarm()).toEqual({ metadata: undefined, scheduled: undefined });
      const t = clock.now() + 5_000;
      await storage.setAlarm(t);
      expect(await fixture.rawAlarm()).toEqual({ metadata: BigInt(t) * 1_000_000n, scheduled: BigInt(t) * 1_000_000n });
      await storage.transaction(async (txn) => {
        await txn.setAlarm(t + 1_000);
        txn.rollback();
      });
      expect(await fixture.rawAlarm()).toEqual({ metadata: BigInt(t) * 1_000_000n, scheduled: BigInt(t) * 1_000_000n });
      // Cleared: the row stays with NULL; the schedule forgets the object.
      await storage.deleteAlarm();
      expect(await fixture.rawAlarm()).toEqual({ metadata: null, scheduled: undefined });
    });
  });
}
