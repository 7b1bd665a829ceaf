import { describe, expect, it } from "vitest";
import type { DescribeKVOptions } from "./kv-fixture.js";
import { expectKVError } from "./kv-expect.js";
import { KV_TEST_START_SECONDS, useKVTestContext } from "./kv-test-context.js";
import { ORDERED_KEYS, listAllNames } from "./kv-test-data.js";

/** Listing: UTF-8 byte order, literal prefixes, cursors, limits, what each key carries. */
export function describeKVList(options: DescribeKVOptions): void {
  describe(options.name, () => {
    describe("list", () => {
      const t = useKVTestContext(options);

      async function putAll(keys: readonly string[]): Promise<void> {
        await Promise.all(keys.map((key) => t.kv.put(key, `value of ${key}`)));
      }

      it("lists keys in UTF-8 byte order, whatever order they were written in", async () => {
        await putAll([...ORDERED_KEYS].reverse());
        const page = await t.kv.list();
        expect(page.keys.map((key) => key.name)).toEqual(ORDERED_KEYS);
        expect(page.list_complete).toBe(true);
        expect(page.cacheStatus).toBeNull();
        expect("cursor" in page && page.cursor !== undefined).toBe(false);
      });

      it("pages with cursors that are base64 of the last key: YQ==, Yg==, 772h", async () => {
        await putAll([...ORDERED_KEYS, "exp"]);
        const cursors: string[] = [];
        const names: string[] = [];
        let cursor: string | undefined;
        for (;;) {
          const page = await t.kv.list({ limit: 5, cursor });
          names.push(...page.keys.map((key) => key.name));
          if (page.list_complete) break;
          expect(page.keys).toHaveLength(5);
          cursors.push(page.cursor!);
          cursor = page.cursor;
        }
        expect(cursors).toEqual(["YQ==", "Yg==", "772h"]);
        const expected = [...ORDERED_KEYS.slice(0, 10), "e", "exp", ...ORDERED_KEYS.slice(11)];
        expect(names).toEqual(expected);
      });

      it("returns no cursor when the last page is exactly full", async () => {
        await putAll(["a", "b", "c", "d"]);
        const first = await t.kv.list({ limit: 2 });
        expect(first).toMatchObject({ list_complete: false, cursor: "Yg==" });
        const second = await t.kv.list({ limit: 2, cursor: first.cursor });
        expect(second.keys.map((key) => key.name)).toEqual(["c", "d"]);
        expect(second.list_complete).toBe(true);
        expect(second.cursor).toBeUndefined();
      });

      it("shows keys inserted between pages, and a cursor outlives its key", async () => {
        await putAll(["a", "c", "e"]);
        const first = await t.kv.list({ limit: 1 });
        expect(first.keys.map((key) => key.name)).toEqual(["a"]);
        await t.kv.put("b", "late");
        await t.kv.delete("a");
        const rest = await t.kv.list({ cursor: first.cursor });
        expect(rest.keys.map((key) => key.name)).toEqual(["b", "c", "e"]);
      });

      it("treats a cursor as a bound even for a key that never existed", async () => {
        await putAll(["a", "c", "e"]);
        const page = await t.kv.list({ cursor: btoa("b") });
        expect(page.keys.map((key) => key.name)).toEqual(["c", "e"]);
      });

      it("restarts the listing for a cursor that does not decode", async () => {
        await putAll(["a", "b"]);
        const page = await t.kv.list({ cursor: "!!!not base64!!!" });
        expect(page.keys.map((key) => key.name)).toEqual(["a", "b"]);
      });

      it("matches prefixes literally, byte for byte: case, % and _ are ordinary", async () => {
        await putAll(["a%b", "axb", "a_b", "aXb", "A_b", "a", "ab", "b"]);
        expect((await t.kv.list({ prefix: "a%" })).keys.map((key) => key.name)).toEqual(["a%b"]);
        expect((await t.kv.list({ prefix: "a_" })).keys.map((key) => key.name)).toEqual(["a_b"]);
        expect((await t.kv.list({ prefix: "A" })).keys.map((key) => key.name)).toEqual(["A_b"]);
        expect((await t.kv.list({ prefix: "a" })).keys.map((key) => key.name)).toEqual(["a", "a%b", "aXb", "a_b", "ab", "axb"]);
        expect((await t.kv.list({ prefix: "zzz" })).keys).toEqual([]);
        expect((await t.kv.list({ prefix: "" })).keys).toHaveLength(8);
        expect((await t.kv.list({ prefix: null })).keys).toHaveLength(8);
      });

      it("matches a prefix containing NUL (K8)", async () => {
        await putAll(["x\u0000y", "x\u0000z", "x", "x\u0001", "xy"]);
        expect((await t.kv.list({ prefix: "x\u0000" })).keys.map((key) => key.name)).toEqual(["x\u0000y", "x\u0000z"]);
        expect((await t.kv.list({ prefix: "x\u0000y" })).keys.map((key) => key.name)).toEqual(["x\u0000y"]);
      });

      it("matches prefixes by code point at the top of the BMP and beyond", async () => {
        await putAll(["\uFFFF", "\uFFFFa", "😀", "😀x", "😁", "\uE000"]);
        expect((await t.kv.list({ prefix: "\uFFFF" })).keys.map((key) => key.name)).toEqual(["\uFFFF", "\uFFFFa"]);
        expect((await t.kv.list({ prefix: "😀" })).keys.map((key) => key.name)).toEqual(["😀", "😀x"]);
        expect((await t.kv.list({ prefix: "\uE000" })).keys.map((key) => key.name)).toEqual(["\uE000"]);
      });

      it("combines a prefix with a cursor", async () => {
        await putAll(["p1", "p2", "p3", "q1", "o9"]);
        const first = await t.kv.list({ prefix: "p", limit: 2 });
        expect(first.keys.map((key) => key.name)).toEqual(["p1", "p2"]);
        const rest = await t.kv.list({ prefix: "p", limit: 2, cursor: first.cursor });
        expect(rest.keys.map((key) => key.name)).toEqual(["p3"]);
        expect(rest.list_complete).toBe(true);
        // A cursor before the prefix's range starts at the prefix.
        expect((await t.kv.list({ prefix: "p", cursor: btoa("a") })).keys.map((key) => key.name)).toEqual(["p1", "p2", "p3"]);
        // A cursor past it gives nothing.
        expect((await t.kv.list({ prefix: "p", cursor: btoa("z") })).keys).toEqual([]);
      });

      it("reports expiration in whole seconds and metadata parsed, leaving out what was not stored", async () => {
        await t.kv.put("both", "v", { expiration: KV_TEST_START_SECONDS + 3600, metadata: { m: [1] } });
        await t.kv.put("meta", "v", { metadata: "text" });
        await t.kv.put("plain", "v");
        await t.kv.put("ttl", "v", { expirationTtl: 90 });
        const { keys } = await t.kv.list();
        expect(keys).toEqual([
          { name: "both", expiration: KV_TEST_START_SECONDS + 3600, metadata: { m: [1] } },
          { name: "meta", metadata: "text" },
          { name: "plain" },
          { name: "ttl", expiration: KV_TEST_START_SECONDS + 90 },
        ]);
        expect(Object.keys(keys[2]!)).toEqual(["name"]);
      });

      it("parses limit as an integer", async () => {
        await putAll(["a", "b", "c"]);
        const page = await t.kv.list({ limit: 2.5 });
        expect(page.keys.map((key) => key.name)).toEqual(["a", "b"]);
        expect(page.list_complete).toBe(false);
      });

      it("returns the default page of at most 1000 keys for a limit of 0 or below (K4)", async () => {
        const keys = Array.from({ length: 1001 }, (_, i) => `k${String(i).padStart(4, "0")}`);
        await Promise.all(keys.map((key) => t.kv.put(key, "")));
        for (const limit of [0, -1, -1000]) {
          const page = await t.kv.list({ limit });
          expect(page.keys, `limit ${limit}`).toHaveLength(1000);
          expect(page.list_complete).toBe(false);
          expect(page.cursor).toBe(btoa("k0999"));
        }
        expect((await t.kv.list()).keys).toHaveLength(1000);
        expect((await t.kv.list({ limit: 1000 })).keys).toHaveLength(1000);
        expect(await listAllNames(t.kv)).toEqual(keys);
      });

      it("rejects a limit above 1000 with the service's message", async () => {
        await expectKVError(() => t.kv.list({ limit: 1001 }), "KV GET failed: 400 Invalid key_count_limit of 1001. Please specify an integer less than 1000.");
      });

      it("rejects a prefix longer than 512 UTF-8 bytes", async () => {
        await expectKVError(
          () => t.kv.list({ prefix: "é".repeat(257) }),
          "KV GET failed: 414 UTF-8 encoded length of 514 exceeds key length limit of 512.",
        );
        await expect(t.kv.list({ prefix: "p".repeat(512) })).resolves.toMatchObject({ keys: [] });
      });
    });
  });
}
