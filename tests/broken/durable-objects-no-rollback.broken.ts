import { describeDurableObjectTransactions, type DurableObjectStorageLike } from "@cellar/conformance";
import { withOverrides } from "../support/with-overrides.ts";
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
  return withOverrides(storage, {
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
  });
}

describeDurableObjectTransactions({
  name: "broken: commits on throw",
  create: () => openDurableObjectFixture({ blobs: "memory", engine: "native", database: "memory" }, commitOnThrow),
});
