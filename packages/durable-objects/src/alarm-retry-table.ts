import type { SqlDatabase } from "@cellar/metadata-store";

/** A failed alarm waiting for its retry. */
export interface AlarmRetry {
  /** Counted retries so far: the `retryCount` the next run is given. */
  readonly count: number;
  /** When the next run is due, ms since the epoch (the namespace's `timers` clock). */
  readonly at: number;
}

/**
 * Pending retries, persisted so that a restart resumes them (spec O5): workerd keeps retry counts
 * only in memory, so a restart would begin again at `retryCount` 0, fire at once, and allow 6 more
 * retries. The table lives in the namespace's `metadata.sqlite`, beside `_cf_ALARM`, for two
 * reasons: one transaction then changes an alarm and its retry together, and workerd, which only
 * ever names `_cf_ALARM`, ignores any other table (on-disk-layout.md L2, L3: its columns are never
 * touched). The `_cellar_` prefix keeps it clear of workerd's reserved `_cf_` names.
 *
 * A row applies only while `_cf_ALARM` still holds the same `scheduled_time` for the object: when
 * workerd replaces or deletes an alarm (including its `deleteAllDurableObjects()`, which runs
 * `DELETE FROM _cf_ALARM` alone), the row no longer matches, is ignored and is deleted on the next
 * load. The table is created with the first failed run, so a schedule without failures stays
 * byte-for-byte workerd's.
 */
export const RETRY_TABLE = "_cellar_alarm_retries";

const CREATE_RETRY_TABLE = `CREATE TABLE IF NOT EXISTS ${RETRY_TABLE} (
  actor_id TEXT PRIMARY KEY,
  scheduled_time INTEGER NOT NULL,
  retry_count INTEGER NOT NULL,
  retry_at INTEGER NOT NULL
) WITHOUT ROWID`;

/** Whether `db` has the retry table. */
export function hasRetryTable(db: SqlDatabase): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(RETRY_TABLE) !== undefined;
}

/** Every stored retry, by object, with the alarm time it belongs to. */
export function loadRetries(db: SqlDatabase): Map<string, { scheduledTime: bigint; retry: AlarmRetry }> {
  const retries = new Map<string, { scheduledTime: bigint; retry: AlarmRetry }>();
  if (!hasRetryTable(db)) return retries;
  const rows = db
    .prepare<{ actor_id: string; scheduled_time: bigint; retry_count: bigint; retry_at: bigint }>(`SELECT actor_id, scheduled_time, retry_count, retry_at FROM ${RETRY_TABLE}`)
    .safeIntegers(true)
    .all();
  for (const row of rows) {
    retries.set(row.actor_id, { scheduledTime: BigInt(row.scheduled_time), retry: { count: Number(row.retry_count), at: Number(row.retry_at) } });
  }
  return retries;
}

/** Records the retry of the alarm at `scheduledTime`, creating the table if needed. */
export function saveRetry(db: SqlDatabase, actorId: string, scheduledTime: bigint, retry: AlarmRetry): void {
  db.exec(CREATE_RETRY_TABLE);
  db.prepare(
    `INSERT INTO ${RETRY_TABLE} (actor_id, scheduled_time, retry_count, retry_at) VALUES (?, CAST(? AS INTEGER), ?, ?) ON CONFLICT DO UPDATE SET scheduled_time = excluded.scheduled_time, retry_count = excluded.retry_count, retry_at = excluded.retry_at`,
  ).run(actorId, scheduledTime, retry.count, retry.at);
}

/** Forgets the retries of `actorIds` (every retry when omitted); nothing when the table does not exist. */
export function deleteRetries(db: SqlDatabase, actorIds?: readonly string[]): void {
  if (!hasRetryTable(db)) return;
  if (actorIds === undefined) {
    db.exec(`DELETE FROM ${RETRY_TABLE}`);
    return;
  }
  for (let i = 0; i < actorIds.length; i += 100) {
    const chunk = actorIds.slice(i, i + 100);
    db.prepare(`DELETE FROM ${RETRY_TABLE} WHERE actor_id IN (${chunk.map(() => "?").join(", ")})`).run(...chunk);
  }
}
