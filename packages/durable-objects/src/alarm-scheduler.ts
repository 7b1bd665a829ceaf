import type { CellarDurableObjectId } from "./durable-object-id.js";
import type { AlarmRetry } from "./alarm-retry-table.js";
import type { AlarmStore, StoredAlarm } from "./alarm-store.js";
import { nsToMs, type AlarmSink, type ObjectAlarms } from "./object-alarms.js";

/** What an alarm handler is told, as workerd's `alarm(alarmInfo)`. */
export interface AlarmInvocationInfo {
  /** How many counted retries preceded this run (0 on the first). */
  readonly retryCount: number;
  /** `retryCount > 0`. */
  readonly isRetry: boolean;
  /** The alarm's time, ms since the epoch. */
  readonly scheduledTime: number;
}

/** The namespace's `alarm()` handler: runs for the object `id` when its alarm is due. */
export type AlarmHandler = (id: CellarDurableObjectId, info: AlarmInvocationInfo) => void | Promise<void>;

/** The time source alarms run on; inject a fake one so tests never sleep. Default: `Date.now`, global timers, `Math.random`. */
export interface AlarmTimers {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** In [0, 1): the retry jitter. */
  random?(): number;
}

/** Counted retries after which a failing alarm is given up (and cleared). */
export const ALARM_MAX_RETRIES = 6;

/** How long an alarm handler may run before the run counts as failed (and is retried), as in workerd. */
export const ALARM_HANDLER_TIMEOUT_MS = 15 * 60 * 1000;

/**
 * The delay before retry number `retryCount + 1`, after `retryCount` counted retries: 2 s·2^n
 * (n capped at 9) plus up to 25 % jitter (`random` in [0, 1)).
 */
export function alarmRetryDelay(retryCount: number, random: number): number {
  const base = 2000 * 2 ** Math.min(retryCount, 9);
  return base + Math.floor(base * 0.25 * random);
}

/** What the scheduler needs of the object an alarm belongs to. */
export interface AlarmTarget {
  readonly id: CellarDurableObjectId;
  readonly alarms: ObjectAlarms;
}

interface Entry extends StoredAlarm {
  timer?: unknown;
  /** Set while a failed alarm waits for its retry (persisted by the store, spec O5). */
  retry?: AlarmRetry | undefined;
}

/** setTimeout's largest delay; longer waits re-arm. */
const MAX_DELAY = 2 ** 31 - 1;

/**
 * One namespace's alarm scheduler, as workerd gives each namespace its own: the committed alarms
 * of its objects (kept in an {@link AlarmStore}), one timer per alarm, the handler runs, retries
 * with backoff, and clearing after success. A pending retry is stored with its count and due time,
 * so a restart resumes it where it was (spec O5) instead of starting again at 0.
 *
 * The schedule is never later than an object's committed alarm, as in workerd: an earlier time is
 * taken before the object's commit ({@link beforeCommit}), a later one or none after it
 * ({@link committed}). A crash or a failed commit can therefore leave the schedule early, never
 * late; when such an alarm fires, the object's own record is read first, and a mismatch moves the
 * schedule to that record (or drops it) without running the handler.
 */
export class AlarmScheduler implements AlarmSink {
  readonly #store: AlarmStore;
  readonly #timers: AlarmTimers;
  readonly #handler: AlarmHandler;
  readonly #target: (actorId: string, actorName: string | undefined) => AlarmTarget;
  readonly #entries = new Map<string, Entry>();
  readonly #running = new Map<string, Promise<void>>();
  #closed = false;
  /** The store's last flush: its failure surfaces in `settled()` and `close()`. */
  #flushing: Promise<void> = Promise.resolve();

  constructor(options: { store: AlarmStore; timers: AlarmTimers; handler: AlarmHandler; target: (actorId: string, actorName: string | undefined) => AlarmTarget }) {
    this.#store = options.store;
    this.#timers = options.timers;
    this.#handler = options.handler;
    this.#target = options.target;
  }

  /** Loads every stored alarm and arms it; overdue ones fire at once. */
  start(): void {
    for (const alarm of this.#store.load()) {
      const entry: Entry = { ...alarm };
      this.#entries.set(alarm.actorId, entry);
      this.#arm(entry);
    }
  }

  /**
   * Called right before an object's transaction commits with its alarm at `scheduledTime`. An
   * earlier time than the scheduled one (or a first one) is taken now, as workerd schedules it
   * before the commit, so a crash right after the commit cannot lose it; anything else waits for
   * {@link committed}. Returns the schedule's flush when it wrote, for the commit to wait on.
   */
  beforeCommit(actorId: string, actorName: string | undefined, scheduledTime: bigint | null): Promise<void> | undefined {
    if (scheduledTime === null) return undefined;
    const previous = this.#entries.get(actorId);
    if (previous !== undefined && previous.scheduledTime <= scheduledTime) return undefined;
    this.committed(actorId, actorName, scheduledTime);
    return this.#flushing;
  }

  /** Called after an object's transaction committed with its alarm at `scheduledTime` (null: none). */
  committed(actorId: string, actorName: string | undefined, scheduledTime: bigint | null): void {
    const previous = this.#entries.get(actorId);
    if (scheduledTime === null) {
      if (previous === undefined) return;
      this.#disarm(previous);
      this.#entries.delete(actorId);
      this.#store.delete(actorId);
      this.#flush();
      return;
    }
    if (previous?.scheduledTime === scheduledTime) return;
    if (previous !== undefined) this.#disarm(previous);
    const entry: Entry = { actorId, scheduledTime, actorName: actorName ?? previous?.actorName };
    this.#entries.set(actorId, entry);
    this.#store.set(entry);
    this.#flush();
    this.#arm(entry);
  }

  #flush(): void {
    const flushing = this.#store.flush();
    flushing.catch(() => undefined);
    this.#flushing = flushing;
  }

  /** Resolves once no handler is running or finishing (its writes committed, its next timer armed). */
  async settled(): Promise<void> {
    while (this.#running.size > 0) await Promise.all(this.#running.values());
    await this.#flushing;
  }

  /**
   * Cancels every alarm (deleteAll): disarms the timers, forgets the entries (a run in progress
   * ends without a retry) and empties the store (`DELETE FROM _cf_ALARM`, keeping the file).
   */
  async deleteAll(): Promise<void> {
    for (const entry of this.#entries.values()) this.#disarm(entry);
    this.#entries.clear();
    this.#store.deleteAll();
    this.#flush();
    await this.#flushing;
    if (this.#closed) this.#store.close();
  }

  /** The objects with a scheduled alarm. */
  actorIds(): string[] {
    return [...this.#entries.keys()];
  }

  /** Stops every timer, waits for running handlers and closes the store. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const entry of this.#entries.values()) this.#disarm(entry);
    while (this.#running.size > 0) await Promise.all(this.#running.values());
    await this.#store.flush();
    this.#store.close();
  }

  #dueAt(entry: Entry): number {
    return entry.retry?.at ?? nsToMs(entry.scheduledTime);
  }

  #arm(entry: Entry): void {
    if (this.#closed) return;
    this.#disarm(entry);
    const delay = Math.min(MAX_DELAY, Math.max(0, this.#dueAt(entry) - this.#timers.now()));
    entry.timer = this.#timers.setTimeout(() => this.#fire(entry), delay);
  }

  #disarm(entry: Entry): void {
    if (entry.timer !== undefined) this.#timers.clearTimeout(entry.timer);
    entry.timer = undefined;
  }

  #fire(entry: Entry): void {
    entry.timer = undefined;
    if (this.#closed || this.#entries.get(entry.actorId) !== entry) return;
    if (this.#timers.now() < this.#dueAt(entry)) return this.#arm(entry);
    // A run of this object is still going: it re-arms what is left when it ends.
    if (this.#running.has(entry.actorId)) return;
    const run = this.#run(entry)
      .catch(() => {
        // An internal error (the object's storage failed, not the handler): try again later
        // without counting it as a retry, as workerd does.
        if (this.#entries.get(entry.actorId) !== entry) return;
        this.#retry(entry, entry.retry?.count ?? 0, entry.retry?.count ?? 0);
      })
      .finally(() => this.#running.delete(entry.actorId));
    this.#running.set(entry.actorId, run);
  }

  async #run(entry: Entry): Promise<void> {
    const retryCount = entry.retry?.count ?? 0;
    const target = this.#target(entry.actorId, entry.actorName);
    // The object's own record decides whether this is its alarm: the schedule may be early after a
    // failed commit or a crash (see the class comment). Its pending commit, if any, lands first.
    await target.alarms.settled();
    const stored = target.alarms.stored();
    if (stored !== entry.scheduledTime) {
      if (this.#entries.get(entry.actorId) === entry) this.committed(entry.actorId, undefined, stored);
      return this.#armCurrent(entry.actorId);
    }
    if (this.#entries.get(entry.actorId) !== entry) return this.#armCurrent(entry.actorId);
    target.alarms.beginRun(entry.scheduledTime);
    const failed = !(await this.#invoke(target.id, { retryCount, isRetry: retryCount > 0, scheduledTime: nsToMs(entry.scheduledTime) }));
    const { setDuringRun } = await target.alarms.endRun(!failed);
    const current = this.#entries.get(entry.actorId);
    if (current === undefined) return; // cleared: by success, by the handler, or by deleteAll
    if (current !== entry) return this.#arm(current); // a new alarm, set during the run, wins over any retry
    if (setDuringRun || !failed || retryCount >= ALARM_MAX_RETRIES) {
      if (failed && !setDuringRun) await target.alarms.clear(); // retries exhausted
      // The object's own record decides (e.g. the handler set the same time again, or the
      // schedule outlived the object's alarm).
      const after = target.alarms.stored();
      if (after === null || after !== entry.scheduledTime) this.committed(entry.actorId, undefined, after);
      else if (this.#entries.get(entry.actorId) === entry) {
        // The handler set the same time again: a new alarm, which starts at retry 0.
        if (entry.retry !== undefined) this.#setRetry(entry, undefined);
        this.#arm(entry);
      }
      return;
    }
    this.#retry(entry, retryCount + 1, retryCount);
  }

  /**
   * Runs the handler: true when it succeeded, false when it threw or ran past
   * {@link ALARM_HANDLER_TIMEOUT_MS}. JavaScript cannot stop a handler that overran; it goes on in
   * the background, and its outcome is ignored.
   */
  async #invoke(id: CellarDurableObjectId, info: AlarmInvocationInfo): Promise<boolean> {
    let timer: unknown;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = this.#timers.setTimeout(() => resolve(false), ALARM_HANDLER_TIMEOUT_MS);
    });
    const run = Promise.resolve()
      .then(() => this.#handler(id, info))
      .then(
        () => true,
        () => false,
      );
    try {
      return await Promise.race([run, timedOut]);
    } finally {
      this.#timers.clearTimeout(timer);
    }
  }

  /** Schedules the next run of a failed alarm, `retryCount` `count`, after the backoff of `backoffOf` retries; persisted. */
  #retry(entry: Entry, count: number, backoffOf: number): void {
    this.#setRetry(entry, { count, at: this.#timers.now() + alarmRetryDelay(backoffOf, this.#timers.random?.() ?? Math.random()) });
    this.#arm(entry);
  }

  #setRetry(entry: Entry, retry: AlarmRetry | undefined): void {
    entry.retry = retry;
    try {
      this.#store.setRetry(entry.actorId, entry.scheduledTime, retry);
    } catch (error) {
      // The retry still runs from memory; only a restart would forget it. Reported like a failed flush.
      const failed = Promise.reject(error);
      failed.catch(() => undefined);
      this.#flushing = failed;
      return;
    }
    this.#flush();
  }

  #armCurrent(actorId: string): void {
    const current = this.#entries.get(actorId);
    if (current !== undefined) this.#arm(current);
  }
}
