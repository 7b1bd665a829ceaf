import type { DurableObjectStorage, DurableObjectTransaction, SqlStorage, SyncKvStorage } from "@cloudflare/workers-types";
import { describe, expectTypeOf, it } from "vitest";
import type { CellarDurableObjectStorage, CellarDurableObjectTransaction, CellarSqlStorage, CellarSyncKvStorage } from "../src/index.js";

// Type-level: `pnpm typecheck` fails if cellar's storage stops being usable where Workers code
// expects `ctx.storage`: the full `DurableObjectStorage`, alarm methods and `transaction` included.
describe("types", () => {
  it("makes cellar storage assignable to the full DurableObjectStorage", () => {
    const bind = (storage: CellarDurableObjectStorage): DurableObjectStorage => storage;
    const txn = (transaction: CellarDurableObjectTransaction): DurableObjectTransaction => transaction;
    expectTypeOf(txn).returns.toEqualTypeOf<DurableObjectTransaction>();
    expectTypeOf(bind).returns.toEqualTypeOf<DurableObjectStorage>();
    expectTypeOf<CellarDurableObjectStorage["setAlarm"]>().parameters.toExtend<Parameters<DurableObjectStorage["setAlarm"]>>();
    expectTypeOf<ReturnType<CellarDurableObjectStorage["getAlarm"]>>().toEqualTypeOf<Promise<number | null>>();
    const sql = (storage: CellarSqlStorage): SqlStorage => storage;
    const kv = (storage: CellarSyncKvStorage): SyncKvStorage => storage;
    expectTypeOf(bind).parameter(0).toEqualTypeOf<CellarDurableObjectStorage>();
    expectTypeOf(sql).returns.toEqualTypeOf<SqlStorage>();
    expectTypeOf(kv).returns.toEqualTypeOf<SyncKvStorage>();
  });
});
