import type { CellarDurableObjectId } from "./durable-object-id.js";
import { MESSAGES } from "./messages.js";
import type { CommitFollowUp, ObjectDatabase } from "./object-database.js";
import { ALARM_KEY, CREATE_METADATA_TABLE } from "./storage-schema.js";

/** Options of `setAlarm` / `deleteAlarm` (`allowUnconfirmed` resolves at once, as for `put`). */
export interface AlarmOptions {
  readonly allowConcurrency?: boolean;
  readonly allowUnconfirmed?: boolean;
}

/** Learns of every change to an object's alarm (the namespace's scheduler). */
export interface AlarmSink {
  /**
   * Right before the object's `COMMIT`, with the alarm about to commit: an earlier time is taken
   * now (see `AlarmScheduler.beforeCommit`). Returns a write the commit waits for before it is
   * reported durable, if there is one.
   */
  beforeCommit(actorId: string, actorName: string | undefined, scheduledTime: bigint | null): Promise<void> | undefined;
  /** After the object's `COMMIT` succeeded, with the alarm that committed. */
  committed(actorId: string, actorName: string | undefined, scheduledTime: bigint | null): void;
}

const NS_PER_MS = 1_000_000n;

/** Nanoseconds since the epoch → milliseconds, as `getAlarm()` returns them. */
export function nsToMs(ns: bigint): number {
  return Number(ns / NS_PER_MS);
}

/**
 * One object's alarm: `_cf_METADATA` key 1 (ns since the epoch, NULL when cleared), written in
 * the object's implicit transaction so it commits and rolls back with the other writes. The
 * scheduler hears of the value that commits, read right before `COMMIT` (rolled-back savepoints
 * excluded): an earlier time then and there, as workerd tells its scheduler before the commit, and
 * any other change once `COMMIT` has succeeded. A transaction that rolls back tells it nothing.
 */
export class ObjectAlarms {
  readonly #object: ObjectDatabase;
  /** Undefined for a facet, which has no alarms of its own. */
  readonly #id: CellarDurableObjectId | undefined;
  /** Undefined when the namespace has no alarm handler: `setAlarm` then fails. */
  readonly #sink: AlarmSink | undefined;
  readonly #now: () => number;
  #run: { ns: bigint; setDuringRun: boolean } | undefined;
  readonly #hook = (): CommitFollowUp | undefined => {
    const sink = this.#sink;
    const id = this.#id;
    if (sink === undefined || id === undefined) return undefined;
    const ns = this.#read();
    const actorId = id.toString();
    // The schedule's write (if any) lands before the object's commit is reported durable, so an
    // earlier alarm is never durable in the object alone (the wasm engine writes files on flush).
    const durableAfter = sink.beforeCommit(actorId, id.name, ns);
    return { durableAfter, after: () => sink.committed(actorId, id.name, ns) };
  };

  constructor(object: ObjectDatabase, id: CellarDurableObjectId | undefined, sink: AlarmSink | undefined, now: () => number) {
    this.#object = object;
    this.#id = id;
    this.#sink = sink;
    this.#now = now;
  }

  /** `getAlarm()`: ms, or null; null while the handler of that same alarm runs. */
  get(): number | null {
    const ns = this.#read();
    if (ns === null) return null;
    if (this.#run !== undefined && !this.#run.setDuringRun && this.#run.ns === ns) return null;
    return nsToMs(ns);
  }

  /** `setAlarm(time)`: validates, clamps a past time to now, and writes; returns the commit. */
  set(scheduledTime: unknown): Promise<void> {
    const ms = scheduledTime instanceof Date ? scheduledTime.getTime() : Number(scheduledTime);
    if (!(ms > 0)) throw new TypeError(MESSAGES.setAlarmNotPositive);
    if (this.#sink === undefined) throw new TypeError(MESSAGES.setAlarmWithoutHandler);
    const at = Math.floor(Math.max(ms, this.#now()));
    if (this.#run !== undefined) this.#run.setDuringRun = true;
    return this.#write(BigInt(at) * NS_PER_MS);
  }

  /** `deleteAlarm()`: writes NULL (nothing when no alarm is set); returns the commit. */
  delete(): Promise<void> {
    if (this.#run !== undefined) this.#run.setDuringRun = true;
    if (this.#read() === null) return Promise.resolve();
    return this.#write(null);
  }

  /** The scheduler starts the handler for the alarm at `ns`. */
  beginRun(ns: bigint): void {
    this.#run = { ns, setDuringRun: false };
  }

  /**
   * The handler finished. On success the alarm is cleared unless the handler set (or deleted)
   * one. Resolves once everything the handler wrote has committed, so the scheduler has seen it.
   */
  async endRun(success: boolean): Promise<{ setDuringRun: boolean }> {
    const run = this.#run;
    this.#run = undefined;
    if (run === undefined) return { setDuringRun: false };
    if (success && !run.setDuringRun && this.#read() === run.ns) await this.#write(null);
    await this.#object.sync();
    return { setDuringRun: run.setDuringRun };
  }

  /** Clears the alarm (retries exhausted). */
  async clear(): Promise<void> {
    if (this.#read() !== null) await this.#write(null);
  }

  /** Resolves once the object's pending implicit transaction (if any) has committed or failed. */
  settled(): Promise<void> {
    return this.#object.settle();
  }

  /** The alarm as stored in `_cf_METADATA` (ns), whatever runs. */
  stored(): bigint | null {
    return this.#read();
  }

  /** The object's file was deleted (`deleteAll`): so was its alarm. */
  deleted(): void {
    if (this.#id !== undefined) this.#sink?.committed(this.#id.toString(), this.#id.name, null);
  }

  #write(ns: bigint | null): Promise<void> {
    const committed = this.#object.beginWrite();
    this.#object.db.exec(CREATE_METADATA_TABLE);
    // CAST keeps an exact INTEGER even where an engine binds a large bigint as text.
    this.#object.statement("INSERT INTO _cf_METADATA VALUES(?, CAST(? AS INTEGER)) ON CONFLICT DO UPDATE SET value = excluded.value").run(ALARM_KEY, ns);
    this.#object.onCommit(this.#hook);
    return committed;
  }

  #read(): bigint | null {
    const exists = this.#object.statement("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_cf_METADATA'").get();
    if (exists === undefined) return null;
    const row = this.#object.statement("SELECT value AS alarm FROM _cf_METADATA WHERE key = 1").safeIntegers(true).get() as { alarm: bigint | number | string | Uint8Array | null } | undefined;
    if (row === undefined || row.alarm === null || row.alarm instanceof Uint8Array) return null;
    return BigInt(row.alarm);
  }
}
