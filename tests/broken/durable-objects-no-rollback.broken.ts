import { describeDurableObjectTransactions, type DurableObjectStorageLike } from "@cellar/conformance";
import { openDurableObjectFixture } from "../support/durable-objects-fixtures.ts";

/**
 * `transaction` and `transactionSync` that commit what the closure wrote before it threw, then
 * rethrow: the closure runs inside the real transaction, but its error is caught there, so the
 * real storage sees a closure that returned. `txn.rollback()` still works. Everything else is the
 * real storage.
 */
function commitOnThrow(storage: DurableObjectStorageLike): DurableObjectStorageLike {
  const thrown = Symbol("thrown");
  type Outcome<T> = { [thrown]: true; error: unknown } | { [thrown]: false; value: T };
  const unwrap = <T>(outcome: Outcome<T>): T => {
    if (outcome[thrown]) throw outcome.error;
    return outcome.value;
  };
  return {
    get: (key, options) => storage.get(key, options),
    put: (...args: [unknown, unknown?, unknown?]) => storage.put(...args),
    delete: (key, options) => storage.delete(key, options),
    list: (options) => storage.list(options),
    deleteAll: (options) => storage.deleteAll(options),
    async transaction(closure) {
      return unwrap(
        await storage.transaction(async (txn): Promise<Outcome<Awaited<ReturnType<typeof closure>>>> => {
          try {
            return { [thrown]: false, value: await closure(txn) };
          } catch (error) {
            return { [thrown]: true, error };
          }
        }),
      );
    },
    transactionSync(closure) {
      return unwrap(
        storage.transactionSync((): Outcome<ReturnType<typeof closure>> => {
          try {
            return { [thrown]: false, value: closure() };
          } catch (error) {
            return { [thrown]: true, error };
          }
        }),
      );
    },
    sync: () => storage.sync(),
    getCurrentBookmark: () => storage.getCurrentBookmark(),
    get kv() {
      return storage.kv;
    },
    get sql() {
      return storage.sql;
    },
  };
}

describeDurableObjectTransactions({
  name: "broken: commits on throw",
  create: () => openDurableObjectFixture({ blobs: "memory", engine: "native", database: "memory" }, commitOnThrow),
});
