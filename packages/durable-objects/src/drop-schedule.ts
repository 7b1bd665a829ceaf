import { existsSync } from "node:fs";
import type { SqlEngine } from "@cellar/metadata-store";
import { deleteRetries } from "./alarm-retry-table.js";

/*
 * A drop by a namespace instance without an alarm handler (so without a scheduler of its own)
 * still has to cancel the alarms in the schedule file another process, or workerd, left.
 */

/** The objects in a schedule file nobody in this namespace instance has open. */
export function scheduledActorIds(engine: SqlEngine, location: string): string[] {
  if (!existsSync(location)) return [];
  const db = engine.open(location);
  try {
    if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_cf_ALARM'").get() === undefined) return [];
    return db.prepare<{ actor_id: string }>("SELECT actor_id FROM _cf_ALARM").all().map((row) => row.actor_id);
  } finally {
    db.close();
  }
}

/** A namespace without an alarm handler still empties a schedule another process left (workerd's file). */
export async function clearSchedule(engine: SqlEngine, location: string): Promise<void> {
  if (!existsSync(location)) return;
  const db = engine.open(location);
  try {
    if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_cf_ALARM'").get() !== undefined) {
      db.transaction(() => {
        db.exec("DELETE FROM _cf_ALARM");
        deleteRetries(db);
      });
    }
    await db.flush();
  } finally {
    db.close();
  }
}
