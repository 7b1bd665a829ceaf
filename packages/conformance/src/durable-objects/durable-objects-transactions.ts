import { describe, expect, it } from "vitest";
import { caught, useDurableObjectFixture } from "./durable-objects-context.js";
import type { DescribeDurableObjectStorageOptions } from "./durable-objects-fixture.js";

/** Write coalescing, explicit transactions, transactionSync, sync KV and bookmarks (spec §1, §3). */
export function describeDurableObjectTransactions(options: DescribeDurableObjectStorageOptions): void {
  describe(`durable objects ${options.name} transactions`, () => {
    const fresh = useDurableObjectFixture(options);

    it("lets reads see the pending writes of a burst, and commits the burst on the next turn [rawRows]", async (context) => {
      const { storage, rawRows } = await fresh();
      if (rawRows === undefined) return context.skip();
      void storage.put("a", 1);
      void storage.put("b", 2);
      storage.kv.put("c", 3);
      expect(storage.kv.get("a")).toBe(1);
      // Not committed yet: another connection sees nothing.
      expect(await rawRows({ sync: false })).toEqual([]);
      await new Promise((resolve) => setImmediate(resolve));
      await storage.sync();
      expect((await rawRows()).map((row) => row.key)).toEqual(["a", "b", "c"]);
    });

    it("rolls an explicit transaction back on throw and on txn.rollback()", async () => {
      const { storage } = await fresh();
      await storage.put("keep", 0);
      await expect(storage.transaction(async (txn) => {
        await txn.put("a", 1);
        throw new Error("boom");
      })).rejects.toThrow("boom");
      const result = await storage.transaction(async (txn) => {
        await txn.put("b", 1);
        expect(await txn.get("b")).toBe(1);
        txn.rollback();
        return "rolled";
      });
      expect(result).toBe("rolled");
      expect([...(await storage.list()).keys()]).toEqual(["keep"]);
    });

    it("commits a transaction's writes, and a rolled-back nested transaction undoes only its own", async () => {
      const { storage } = await fresh();
      await storage.transaction(async (txn) => {
        await txn.put("outer", 1);
        await storage.transaction(async (inner) => {
          await inner.put("inner", 1);
          inner.rollback();
        });
      });
      expect([...(await storage.list()).keys()]).toEqual(["outer"]);
    });

    it("refuses a txn used after rollback or after its closure returned", async () => {
      const { storage } = await fresh();
      let escaped: any;
      await storage.transaction(async (txn) => {
        escaped = txn;
        txn.rollback();
        expect((await caught(() => txn.put("a", 1))).message).toBe("Cannot put on rolled back transaction");
      });
      await storage.transaction(async (txn) => (escaped = txn));
      expect((await caught(() => escaped.get("a"))).message).toBe("Cannot call get on transaction that has already committed: did you move `txn` outside of the closure?");
    });

    it("makes other callers wait while a transaction runs", async () => {
      const { storage } = await fresh();
      const order: string[] = [];
      const txn = storage.transaction(async (t) => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        await t.put("k", "txn");
        order.push("txn");
      });
      const read = storage.get("k").then((value) => order.push(`read ${String(value)}`));
      await Promise.all([txn, read]);
      expect(order).toEqual(["txn", "read txn"]);
    });

    it("rolls transactionSync back on throw and nests", async () => {
      const { storage } = await fresh();
      storage.sql.exec("CREATE TABLE t (x)");
      expect(() =>
        storage.transactionSync(() => {
          storage.sql.exec("INSERT INTO t VALUES (1)");
          throw new Error("boom");
        }),
      ).toThrow("boom");
      const n = storage.transactionSync(() => {
        storage.sql.exec("INSERT INTO t VALUES (2)");
        try {
          storage.transactionSync(() => {
            storage.sql.exec("INSERT INTO t VALUES (3)");
            throw new Error("inner");
          });
        } catch {}
        return storage.sql.exec("SELECT count(*) AS n FROM t").one().n;
      });
      expect(n).toBe(1);
    });

    it("refuses deleteAll inside a transaction", async () => {
      const { storage } = await fresh();
      await storage.transaction(async () => {
        expect((await caught(() => storage.deleteAll())).message).toBe("Cannot call deleteAll() within a transaction");
      });
    });

    it("gives the sync KV API put(undefined), delete and one live list iterator", async () => {
      const { storage } = await fresh();
      storage.kv.put("u", undefined);
      storage.kv.put("a", 1);
      storage.kv.put("b", 2);
      expect(storage.kv.get("u")).toBeUndefined();
      expect([...storage.kv.list()].map(([key]) => key)).toEqual(["a", "b", "u"]);
      const first = storage.kv.list()[Symbol.iterator]();
      first.next();
      storage.kv.list();
      expect(() => first.next()).toThrow("kv.list() iterator was invalidated because a new call to kv.list() was started. Only one kv.list() iterator can exist at a time.");
      expect(storage.kv.delete("u")).toBe(true);
      expect(storage.kv.delete("u")).toBe(false);
      expect(await storage.get("a")).toBe(1);
    });

    it("counts bookmarks as local workerd does", async () => {
      const { storage } = await fresh();
      expect(await storage.getCurrentBookmark()).toBe(`00000000-00000000-00000000-${"0".repeat(32)}`);
      expect(await storage.getCurrentBookmark()).toBe(`00000000-00000001-00000000-${"0".repeat(32)}`);
    });
  });
}
