import { existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { SqlDatabase, SqlEngine } from "@cellar/metadata-store";
import { deleteRetries, loadRetries, saveRetry, type AlarmRetry } from "./alarm-retry-table.js";

/** One scheduled alarm as the namespace's scheduler keeps it. */
export interface StoredAlarm {
  /** The object's 64-hex id. */
  readonly actorId: string;
  /** Nanoseconds since the epoch, as workerd stores it. */
  readonly scheduledTime: bigint;
  /** The name the id was derived from, when known (only kept by a 3-column `_cf_ALARM`). */
  readonly actorName: string | undefined;
  /** The retry this alarm waits for after a failed run, if any (spec O5). */
  readonly retry?: AlarmRetry | undefined;
}

/** Where a namespace keeps its alarm schedule. */
export interface AlarmStore {
  /** Every alarm, each with its pending retry. */
  load(): StoredAlarm[];
  /** Stores the alarm and forgets any retry of the object (a new time starts at retry 0). */
  set(alarm: StoredAlarm): void;
  /** Records (or, with undefined, forgets) the retry the object's alarm at `scheduledTime` waits for. */
  setRetry(actorId: string, scheduledTime: bigint, retry: AlarmRetry | undefined): void;
  /** Forgets the object's alarm and its retry. */
  delete(actorId: string): void;
  /** Deletes every alarm (`DELETE FROM _cf_ALARM`; the file stays) and every retry. */
  deleteAll(): void;
  /** Resolves once every write so far is durable. */
  flush(): Promise<void>;
  close(): void;
}

/**
 * workerd's `_cf_ALARM` (workerd 1.20260426, on-disk-layout.md §5), with its exact SQL and
 * whitespace so `sqlite_master` matches a file workerd created.
 */
export const CREATE_ALARM_TABLE = `CREATE TABLE IF NOT EXISTS _cf_ALARM (
      actor_id TEXT PRIMARY KEY,
      scheduled_time INTEGER
    ) WITHOUT ROWID`;

/** A namespace in memory keeps its schedule in memory. */
export class MemoryAlarmStore implements AlarmStore {
  readonly #rows = new Map<string, StoredAlarm>();
  load(): StoredAlarm[] {
    return [...this.#rows.values()];
  }
  set(alarm: StoredAlarm): void {
    this.#rows.set(alarm.actorId, { ...alarm, retry: undefined });
  }
  setRetry(actorId: string, scheduledTime: bigint, retry: AlarmRetry | undefined): void {
    const row = this.#rows.get(actorId);
    if (row?.scheduledTime === scheduledTime) this.#rows.set(actorId, { ...row, retry });
  }
  delete(actorId: string): void {
    this.#rows.delete(actorId);
  }
  deleteAll(): void {
    this.#rows.clear();
  }
  async flush(): Promise<void> {}
  close(): void {}
}

/**
 * `<directory>/<uniqueKey>/metadata.sqlite`, shared with workerd's scheduler. The table is created
 * with workerd's 2 columns and never altered; `actor_name` is written only when a newer workerd
 * already added the column, and every statement names its columns, so both tools can open the
 * file (spec O6, on-disk-layout.md §5). The file is created on the first alarm, not before, so a
 * namespace nobody uses leaves no directory behind.
 */
export class FileAlarmStore implements AlarmStore {
  readonly #engine: SqlEngine;
  readonly #location: string;
  #db: SqlDatabase | undefined;
  #hasName = false;

  constructor(engine: SqlEngine, location: string) {
    this.#engine = engine;
    this.#location = location;
  }

  load(): StoredAlarm[] {
    if (this.#db === undefined && !existsSync(this.#location)) return [];
    const db = this.#open();
    const columns = this.#hasName ? "actor_id, scheduled_time, actor_name" : "actor_id, scheduled_time";
    const rows = db.prepare<{ actor_id: string; scheduled_time: bigint | number | string | null; actor_name?: string | null }>(`SELECT ${columns} FROM _cf_ALARM`).safeIntegers(true).all();
    const retries = loadRetries(db);
    const alarms = rows
      .filter((row) => row.scheduled_time !== null)
      .map((row): StoredAlarm => {
        const scheduledTime = BigInt(row.scheduled_time as bigint);
        const stored = retries.get(row.actor_id);
        // A retry of another time belongs to an alarm that was replaced meanwhile (by workerd).
        const retry = stored?.scheduledTime === scheduledTime ? stored.retry : undefined;
        if (retry !== undefined) retries.delete(row.actor_id);
        return { actorId: row.actor_id, scheduledTime, actorName: row.actor_name ?? undefined, retry };
      });
    if (retries.size > 0) deleteRetries(db, [...retries.keys()]);
    return alarms;
  }

  set(alarm: StoredAlarm): void {
    const db = this.#open();
    db.transaction(() => {
      if (this.#hasName) {
        db.prepare(
          "INSERT INTO _cf_ALARM (actor_id, scheduled_time, actor_name) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET scheduled_time = excluded.scheduled_time, actor_name = COALESCE(excluded.actor_name, actor_name)",
        ).run(alarm.actorId, alarm.scheduledTime, alarm.actorName ?? null);
      } else {
        db.prepare("INSERT INTO _cf_ALARM (actor_id, scheduled_time) VALUES (?, ?) ON CONFLICT DO UPDATE SET scheduled_time = excluded.scheduled_time").run(alarm.actorId, alarm.scheduledTime);
      }
      deleteRetries(db, [alarm.actorId]);
    });
  }

  setRetry(actorId: string, scheduledTime: bigint, retry: AlarmRetry | undefined): void {
    const db = this.#open();
    if (retry === undefined) deleteRetries(db, [actorId]);
    else saveRetry(db, actorId, scheduledTime, retry);
  }

  delete(actorId: string): void {
    if (this.#db === undefined && !existsSync(this.#location)) return;
    const db = this.#open();
    db.transaction(() => {
      db.prepare("DELETE FROM _cf_ALARM WHERE actor_id = ?").run(actorId);
      deleteRetries(db, [actorId]);
    });
  }

  deleteAll(): void {
    if (this.#db === undefined && !existsSync(this.#location)) return;
    const db = this.#open();
    db.transaction(() => {
      db.exec("DELETE FROM _cf_ALARM");
      deleteRetries(db);
    });
  }

  async flush(): Promise<void> {
    if (this.#db?.open === true) await this.#db.flush();
  }

  close(): void {
    if (this.#db?.open === true) this.#db.close();
    this.#db = undefined;
  }

  #open(): SqlDatabase {
    if (this.#db?.open === true) return this.#db;
    mkdirSync(dirname(this.#location), { recursive: true });
    const db = this.#engine.open(this.#location);
    try {
      db.exec(CREATE_ALARM_TABLE);
      const columns = db.prepare<{ name: string }>("SELECT name FROM pragma_table_info('_cf_ALARM')").all();
      this.#hasName = columns.some((column) => column.name === "actor_name");
    } catch (error) {
      db.close();
      throw error;
    }
    this.#db = db;
    return db;
  }
}
