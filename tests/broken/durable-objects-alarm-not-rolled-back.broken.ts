import { describeDurableObjectAlarms, type DurableObjectAlarmStorageLike } from "@cellar/conformance";
import { openDurableObjectAlarmsFixture } from "../support/durable-objects-alarm-fixtures.ts";

/**
 * An alarm kept outside the object's transaction: `txn.setAlarm` / `txn.deleteAlarm` are only
 * remembered, and applied through the storage once the transaction has ended, however it ended
 * (`txn.getAlarm` reads the storage, so it misses them too). Everything else is the real storage.
 */
function alarmOutsideTransaction(storage: DurableObjectAlarmStorageLike): DurableObjectAlarmStorageLike {
  return {
    get: (key, options) => storage.get(key, options),
    put: (key, value, options) => storage.put(key, value, options),
    deleteAll: (options) => storage.deleteAll(options),
    sync: () => storage.sync(),
    getAlarm: (options) => storage.getAlarm(options),
    setAlarm: (scheduledTime, options) => storage.setAlarm(scheduledTime, options),
    deleteAlarm: (options) => storage.deleteAlarm(options),
    async transaction(closure) {
      let alarm: { time: number | Date | null } | undefined;
      try {
        return await storage.transaction((txn) =>
          closure(
            new Proxy(txn, {
              get(target, property) {
                if (property === "setAlarm") return async (time: number | Date) => void (alarm = { time });
                if (property === "deleteAlarm") return async () => void (alarm = { time: null });
                if (property === "getAlarm") return () => storage.getAlarm();
                const value = Reflect.get(target, property);
                return typeof value === "function" ? value.bind(target) : value;
              },
            }),
          ),
        );
      } finally {
        if (alarm !== undefined) await (alarm.time === null ? storage.deleteAlarm() : storage.setAlarm(alarm.time));
      }
    },
  };
}

describeDurableObjectAlarms({
  name: "broken: alarm outside its transaction",
  create: () => openDurableObjectAlarmsFixture({ blobs: "memory", engine: "native", database: "memory" }, alarmOutsideTransaction),
});
