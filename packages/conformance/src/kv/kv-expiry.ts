import { describe, expect, it } from "vitest";
import type { DescribeKVOptions } from "./kv-fixture.js";
import { KV_TEST_START, KV_TEST_START_SECONDS, useKVTestContext } from "./kv-test-context.js";

/** Expiry through the injected clock: one rule everywhere, `expiration <= now` (K2). */
export function describeKVExpiry(options: DescribeKVOptions): void {
  describe(options.name, () => {
    describe("expiry", () => {
      const t = useKVTestContext(options);

      /** Every read path, as one record: is `key` visible, and with which value? */
      async function visibility(key: string) {
        return {
          get: await t.kv.get(key),
          getWithMetadata: (await t.kv.getWithMetadata(key)).value,
          bulk: (await t.kv.get([key])).get(key),
          bulkWithMetadata: (await t.kv.getWithMetadata([key])).get(key)?.value ?? null,
          listed: (await t.kv.list({ prefix: key })).keys.some((listed) => listed.name === key),
        };
      }
      const visible = (value: string) => ({ get: value, getWithMetadata: value, bulk: value, bulkWithMetadata: value, listed: true });
      const gone = { get: null, getWithMetadata: null, bulk: null, bulkWithMetadata: null, listed: false };

      it("hides an entry with expirationTtl from the moment it expires, on every read path", async () => {
        await t.kv.put("ttl", "value", { expirationTtl: 60 });
        t.clock.set(KV_TEST_START + 59_999);
        expect(await visibility("ttl")).toEqual(visible("value"));
        t.clock.set(KV_TEST_START + 60_000);
        expect(await visibility("ttl")).toEqual(gone);
      });

      it("hides an entry with an absolute expiration at exactly that second, in list too (K2)", async () => {
        await t.kv.put("at", "value", { expiration: KV_TEST_START_SECONDS + 120 });
        t.clock.set(KV_TEST_START + 119_999);
        expect(await visibility("at")).toEqual(visible("value"));
        t.clock.set(KV_TEST_START + 120_000);
        expect((await t.kv.list()).keys).toEqual([]);
        expect(await visibility("at")).toEqual(gone);
        t.clock.set(KV_TEST_START + 500_000);
        expect(await visibility("at")).toEqual(gone);
      });

      it("computes a TTL from the current second, rounded down", async () => {
        t.clock.set(KV_TEST_START + 999);
        await t.kv.put("ttl", "value", { expirationTtl: 60 });
        expect((await t.kv.list()).keys).toEqual([{ name: "ttl", expiration: KV_TEST_START_SECONDS + 60 }]);
      });

      it("parses expirationTtl as an integer: 60.7 is 60", async () => {
        await t.kv.put("ttl", "value", { expirationTtl: 60.7 });
        expect((await t.kv.list()).keys).toEqual([{ name: "ttl", expiration: KV_TEST_START_SECONDS + 60 }]);
      });

      it("lets expirationTtl win over expiration, which is then not validated", async () => {
        await t.kv.put("both", "value", { expiration: KV_TEST_START_SECONDS + 1000, expirationTtl: 100 });
        await t.kv.put("invalid-expiration", "value", { expiration: 1, expirationTtl: 100 });
        expect((await t.kv.list()).keys).toEqual([
          { name: "both", expiration: KV_TEST_START_SECONDS + 100 },
          { name: "invalid-expiration", expiration: KV_TEST_START_SECONDS + 100 },
        ]);
      });

      it("keeps entries without expiry forever", async () => {
        await t.kv.put("forever", "value");
        t.clock.set(KV_TEST_START + 10 * 365 * 24 * 3600 * 1000);
        expect(await visibility("forever")).toEqual(visible("value"));
      });

      it("makes an overwrite without expiry permanent", async () => {
        await t.kv.put("key", "first", { expirationTtl: 60 });
        await t.kv.put("key", "second");
        t.clock.advance(3600_000);
        expect(await t.kv.get("key")).toBe("second");
      });

      it("lets a key be written again after it expired", async () => {
        await t.kv.put("key", "first", { expirationTtl: 60 });
        t.clock.advance(60_000);
        expect(await t.kv.get("key")).toBeNull();
        await t.kv.put("key", "second", { expirationTtl: 60 });
        expect(await t.kv.getWithMetadata("key")).toEqual({ value: "second", metadata: null, cacheStatus: null });
        t.clock.advance(59_000);
        expect(await t.kv.get("key")).toBe("second");
      });

      it("skips expired entries inside a page without shortening it", async () => {
        for (const key of ["a", "c", "e"]) await t.kv.put(key, "v", { expirationTtl: 60 });
        for (const key of ["b", "d", "f"]) await t.kv.put(key, "v");
        t.clock.advance(60_000);
        const first = await t.kv.list({ limit: 2 });
        expect(first.keys.map((key) => key.name)).toEqual(["b", "d"]);
        const rest = await t.kv.list({ limit: 2, cursor: first.cursor });
        expect(rest.keys.map((key) => key.name)).toEqual(["f"]);
        expect(rest.list_complete).toBe(true);
      });

      it.skipIf(!options.capabilities?.blobCount)("deletes an expired entry's row and blob when it is read [inspect.blobCount]", async () => {
        const blobCount = t.hook("blobCount");
        await t.kv.put("expiring", "value", { expirationTtl: 60 });
        await t.kv.put("staying", "value");
        expect(await blobCount()).toBe(2);
        t.clock.advance(60_000);
        expect(await t.kv.get("expiring")).toBeNull();
        expect(await blobCount()).toBe(1);
      });

      it.skipIf(!options.capabilities?.rows)("stores expiration in epoch milliseconds in _mf_entries [inspect.rows]", async () => {
        await t.kv.put("ttl", "value", { expirationTtl: 60, metadata: { a: 1 } });
        const rows = await t.hook("rows")();
        expect(rows).toHaveLength(1);
        expect(rows[0]).toMatchObject({ key: "ttl", expiration: (KV_TEST_START_SECONDS + 60) * 1000 });
        expect(JSON.parse(rows[0]!.metadata!)).toEqual({ a: 1 });
      });
    });
  });
}
