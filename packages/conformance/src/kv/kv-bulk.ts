import { describe, expect, it } from "vitest";
import type { DescribeKVOptions } from "./kv-fixture.js";
import { expectKVError } from "./kv-expect.js";
import { useKVTestContext } from "./kv-test-context.js";

/** Bulk `get(keys[])` and `getWithMetadata(keys[])`: results, limits and the order of checks. */
export function describeKVBulk(options: DescribeKVOptions): void {
  describe(options.name, () => {
    describe("bulk get", () => {
      const t = useKVTestContext(options);

      it("maps each key to its value or null, in key order, collapsing duplicates", async () => {
        await t.kv.put("a", "one");
        await t.kv.put("b", "two");
        const result = await t.kv.get(["b", "missing", "a", "b"]);
        expect(result).toBeInstanceOf(Map);
        expect([...result.entries()]).toEqual([
          ["b", "two"],
          ["missing", null],
          ["a", "one"],
        ]);
        expect([...(await t.kv.get(["a"], "text")).entries()]).toEqual([["a", "one"]]);
        expect([...(await t.kv.get(["a"], { type: "text", cacheTtl: 30 })).entries()]).toEqual([["a", "one"]]);
      });

      it("parses values with type json", async () => {
        await t.kv.put("obj", '{"x":[1,2]}');
        await t.kv.put("num", "42");
        const result = await t.kv.get(["obj", "num", "none"], "json");
        expect([...result.entries()]).toEqual([
          ["obj", { x: [1, 2] }],
          ["num", 42],
          ["none", null],
        ]);
      });

      it("rejects type json when a value is not JSON, the empty value included", async () => {
        await t.kv.put("good", "1");
        await t.kv.put("bad", "{");
        await t.kv.put("empty", "");
        const message = "KV GET_BULK failed: 400 At least one of the requested keys corresponds to a non-json value";
        await expectKVError(() => t.kv.get(["good", "bad"], "json"), message);
        await expectKVError(() => t.kv.get(["empty"], { type: "json" }), message);
        await expectKVError(() => t.kv.getWithMetadata(["bad"], "json"), message);
      });

      it("maps every present key to { value, metadata }, falsy values included (K9)", async () => {
        await t.kv.put("empty", "", { metadata: { m: 1 } });
        await t.kv.put("zero", "0");
        await t.kv.put("false", "false", { metadata: false });
        await t.kv.put("null", "null");
        await t.kv.put("text", "hello", { metadata: "meta" });
        const text = await t.kv.getWithMetadata(["empty", "text", "missing"]);
        expect([...text.entries()]).toEqual([
          ["empty", { value: "", metadata: { m: 1 } }],
          ["text", { value: "hello", metadata: "meta" }],
          ["missing", null],
        ]);
        const json = await t.kv.getWithMetadata(["zero", "false", "null"], "json");
        expect([...json.entries()]).toEqual([
          ["zero", { value: 0, metadata: null }],
          ["false", { value: false, metadata: false }],
          ["null", { value: null, metadata: null }],
        ]);
      });

      it("accepts only text and json", async () => {
        await t.kv.put("a", "v");
        for (const type of ["arrayBuffer", "stream", "blob"]) {
          await expectKVError(() => t.kv.get(["a"], type), `KV GET_BULK failed: 400 "${type}" is not a valid type. Use "json" or "text"`);
          await expectKVError(() => t.kv.getWithMetadata(["a"], { type }), `KV GET_BULK failed: 400 "${type}" is not a valid type. Use "json" or "text"`);
        }
      });

      it("takes 1 to 100 keys", async () => {
        const keys = Array.from({ length: 100 }, (_, i) => `key-${i}`);
        expect((await t.kv.get(keys)).size).toBe(100);
        await expectKVError(() => t.kv.get([...keys, "one-more"]), "KV GET_BULK failed: 400 You can request a maximum of 100 keys");
        await expectKVError(() => t.kv.get([]), "KV GET_BULK failed: 400 You must request a minimum of 1 key");
        await expectKVError(() => t.kv.getWithMetadata([]), "KV GET_BULK failed: 400 You must request a minimum of 1 key");
      });

      it("checks each key with the service's wording", async () => {
        await expectKVError(() => t.kv.get(["a", ""]), "KV GET_BULK failed: 400 Key names must not be empty");
        await expectKVError(() => t.kv.get(["."]), 'KV GET_BULK failed: 400 Illegal key name ".". Please use a different name.');
        await expectKVError(() => t.kv.getWithMetadata([".."]), 'KV GET_BULK failed: 400 Illegal key name "..". Please use a different name.');
        await expectKVError(() => t.kv.get(["k".repeat(513)]), "KV GET_BULK failed: 414 UTF-8 encoded length of 513 exceeds key length limit of 512.");
        await expectKVError(() => t.kv.get(["a"], { cacheTtl: 10 }), "KV GET_BULK failed: 400 Invalid cache_ttl of 10. Cache TTL must be at least 30.");
      });

      it("checks in order: type, count, then each key with its value", async () => {
        await t.kv.put("bad", "{");
        await expectKVError(() => t.kv.get([], "stream"), 'KV GET_BULK failed: 400 "stream" is not a valid type. Use "json" or "text"');
        await expectKVError(() => t.kv.get(Array.from({ length: 101 }, () => "")), "KV GET_BULK failed: 400 You can request a maximum of 100 keys");
        await expectKVError(() => t.kv.get(["bad", ""], "json"), "KV GET_BULK failed: 400 At least one of the requested keys corresponds to a non-json value");
        await expectKVError(() => t.kv.get(["", "bad"], "json"), "KV GET_BULK failed: 400 Key names must not be empty");
      });

      it("replaces lone surrogates in bulk keys with U+FFFD", async () => {
        await t.kv.put("x\uFFFD", "v");
        expect([...(await t.kv.get(["x\uD800"])).entries()]).toEqual([["x\uFFFD", "v"]]);
      });
    });
  });
}
