import type { DurableObjectStorage, DurableObjectTransaction, SqlStorage, SyncKvStorage } from "@cloudflare/workers-types";
import { describe, expectTypeOf, it } from "vitest";
import type { CellarDurableObjectStorage, CellarDurableObjectTransaction, CellarSqlStorage, CellarSyncKvStorage } from "../src/index.js";

type Alarms = "getAlarm" | "setAlarm" | "deleteAlarm";

// Type-level: `pnpm typecheck` fails if cellar's storage stops being usable where Workers code
// expects `ctx.storage` (alarms belong to a later release, so they are left out).
describe("types", () => {
  it("makes cellar storage assignable to DurableObjectStorage without alarms", () => {
    const bind = (storage: CellarDurableObjectStorage): Omit<DurableObjectStorage, Alarms | "transaction"> => storage;
    const txn = (transaction: CellarDurableObjectTransaction): Omit<DurableObjectTransaction, Alarms> => transaction;
    expectTypeOf(txn).returns.toEqualTypeOf<Omit<DurableObjectTransaction, Alarms>>();
    const sql = (storage: CellarSqlStorage): SqlStorage => storage;
    const kv = (storage: CellarSyncKvStorage): SyncKvStorage => storage;
    expectTypeOf(bind).parameter(0).toEqualTypeOf<CellarDurableObjectStorage>();
    expectTypeOf(sql).returns.toEqualTypeOf<SqlStorage>();
    expectTypeOf(kv).returns.toEqualTypeOf<SyncKvStorage>();
  });
});
