import { describeDurableObjectAlarms, type DurableObjectAlarmStorageLike } from "@cellar/conformance";
import { withOverrides } from "../support/with-overrides.ts";
import { openDurableObjectAlarmsFixture } from "../support/durable-objects-alarm-fixtures.ts";

/**
 * An alarm kept outside the object's transaction: `txn.setAlarm` / `txn.deleteAlarm` are only
 * remembered, and applied through the storage once the transaction has ended, however it ended
 * (`txn.getAlarm` reads the storage, so it misses them too). Everything else is the real storage.
 */
function alarmOutsideTransaction(storage: DurableObjectAlarmStorageLike): DurableObjectAlarmStorageLike {
  return withOverrides(storage, {
    async transaction(closure) {
      let alarm: { time: number | Date | null } | undefined;
      try {
        return await storage.transaction((txn) =>
          closure(
            withOverrides(txn, {
              setAlarm: async (time: number | Date) => void (alarm = { time }),
              deleteAlarm: async () => void (alarm = { time: null }),
              getAlarm: () => storage.getAlarm(),
            }),
          ),
        );
      } finally {
        if (alarm !== undefined) await (alarm.time === null ? storage.deleteAlarm() : storage.setAlarm(alarm.time));
      }
    },
  });
}

describeDurableObjectAlarms({
  name: "broken: alarm outside its transaction",
  create: () => openDurableObjectAlarmsFixture({ blobs: "memory", engine: "native", database: "memory" }, alarmOutsideTransaction),
});
