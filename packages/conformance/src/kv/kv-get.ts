import { describe, expect, it } from "vitest";
import type { DescribeKVOptions } from "./kv-fixture.js";
import { expectKVTypeError, expectSameBytes } from "./kv-expect.js";
import { useKVTestContext } from "./kv-test-context.js";
import { patternBytes, readStream, text, utf8 } from "./kv-test-data.js";

/** Single-key reads: every value type, misses, metadata, keys as opaque strings. */
export function describeKVGet(options: DescribeKVOptions): void {
  describe(options.name, () => {
    describe("get", () => {
      const t = useKVTestContext(options);

      it("reads a value as text by default", async () => {
        await t.kv.put("greeting", "héllo wörld ✓ 😀");
        expect(await t.kv.get("greeting")).toBe("héllo wörld ✓ 😀");
        expect(await t.kv.get("greeting", "text")).toBe("héllo wörld ✓ 😀");
        expect(await t.kv.get("greeting", { type: "text" })).toBe("héllo wörld ✓ 😀");
        expect(await t.kv.get("greeting", {})).toBe("héllo wörld ✓ 😀");
      });

      it("returns null for a missing key, whatever the type", async () => {
        for (const type of ["text", "json", "arrayBuffer", "stream"]) {
          expect(await t.kv.get("missing", type), type).toBeNull();
          expect(await t.kv.get("missing", { type }), type).toBeNull();
        }
      });

      it("parses JSON with type json", async () => {
        await t.kv.put("json", JSON.stringify({ a: [1, "two", null], b: { c: true } }));
        expect(await t.kv.get("json", "json")).toEqual({ a: [1, "two", null], b: { c: true } });
        expect(await t.kv.get("json", { type: "json", cacheTtl: 60 })).toEqual({ a: [1, "two", null], b: { c: true } });
      });

      it("rejects with a SyntaxError when a json read finds no JSON", async () => {
        await t.kv.put("not-json", "{nope");
        await expect(t.kv.get("not-json", "json")).rejects.toBeInstanceOf(SyntaxError);
        await t.kv.put("empty", "");
        await expect(t.kv.get("empty", "json")).rejects.toBeInstanceOf(SyntaxError);
      });

      it("returns an ArrayBuffer of exactly the stored bytes with type arrayBuffer", async () => {
        const bytes = new Uint8Array(256).map((_, i) => i);
        await t.kv.put("bytes", bytes);
        const value = await t.kv.get("bytes", "arrayBuffer");
        expect(value).toBeInstanceOf(ArrayBuffer);
        expect(new Uint8Array(value)).toEqual(bytes);
      });

      it("hands out a fresh ArrayBuffer on every read", async () => {
        await t.kv.put("fresh", new Uint8Array([1, 2, 3]));
        const first = new Uint8Array(await t.kv.get("fresh", "arrayBuffer"));
        first.fill(9);
        expect(new Uint8Array(await t.kv.get("fresh", "arrayBuffer"))).toEqual(new Uint8Array([1, 2, 3]));
        const streamed = await readStream(await t.kv.get("fresh", "stream"));
        streamed.fill(9);
        expect(await t.kv.get("fresh")).toBe("\u0001\u0002\u0003");
      });

      it("returns a readable, async-iterable stream with type stream", async () => {
        const bytes = patternBytes(200_000, 1);
        await t.kv.put("streamed", bytes);
        const stream = await t.kv.get("streamed", "stream");
        expect(stream).toBeInstanceOf(ReadableStream);
        expectSameBytes(await readStream(stream), bytes);
        const again = await t.kv.get("streamed", { type: "stream" });
        const chunks: Uint8Array[] = [];
        for await (const chunk of again as AsyncIterable<Uint8Array>) chunks.push(chunk);
        expect(chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0)).toBe(200_000);
      });

      it("stores an empty value, which is not a miss", async () => {
        await t.kv.put("empty", "");
        expect(await t.kv.get("empty")).toBe("");
        expect((await t.kv.get("empty", "arrayBuffer")).byteLength).toBe(0);
        expect(await readStream(await t.kv.get("empty", "stream"))).toEqual(new Uint8Array(0));
        expect(await t.kv.getWithMetadata("empty")).toEqual({ value: "", metadata: null, cacheStatus: null });
      });

      it("decodes text without dropping a byte-order mark and replaces invalid UTF-8", async () => {
        await t.kv.put("bom", new Uint8Array([0xef, 0xbb, 0xbf, 0x61]));
        expect(await t.kv.get("bom")).toBe("\uFEFFa");
        await t.kv.put("invalid", new Uint8Array([0x61, 0xff, 0x62]));
        expect(await t.kv.get("invalid")).toBe("a\uFFFDb");
      });

      it("returns value, metadata and cacheStatus from getWithMetadata", async () => {
        await t.kv.put("with", "value", { metadata: { tag: "x", n: [1, 2] } });
        expect(await t.kv.getWithMetadata("with")).toEqual({ value: "value", metadata: { tag: "x", n: [1, 2] }, cacheStatus: null });
        await t.kv.put("without", "value");
        expect(await t.kv.getWithMetadata("without")).toEqual({ value: "value", metadata: null, cacheStatus: null });
        expect(await t.kv.getWithMetadata("missing")).toEqual({ value: null, metadata: null, cacheStatus: null });
        const typed = await t.kv.getWithMetadata("with", "arrayBuffer");
        expect(text(typed.value)).toBe("value");
        expect(typed.metadata).toEqual({ tag: "x", n: [1, 2] });
      });

      it("keeps falsy metadata values", async () => {
        for (const [key, metadata] of [["zero", 0], ["false", false], ["empty", ""], ["list", []]] as const) {
          await t.kv.put(key, "v", { metadata });
          expect((await t.kv.getWithMetadata(key)).metadata, key).toEqual(metadata);
        }
      });

      it("treats keys as opaque, case-sensitive strings", async () => {
        const keys = ["a/b", "a/b/c", "Case", "case", "100%", "#hash", "q?x=1", "with space", "nul\u0000byte", "..."];
        for (const [index, key] of keys.entries()) await t.kv.put(key, `value ${index}`);
        for (const [index, key] of keys.entries()) expect(await t.kv.get(key), JSON.stringify(key)).toBe(`value ${index}`);
        expect(await t.kv.get("nul")).toBeNull();
        expect(await t.kv.get("CASE")).toBeNull();
      });

      it("replaces lone surrogates in keys with U+FFFD", async () => {
        await t.kv.put("lone\uD800", "high");
        expect(await t.kv.get("lone\uFFFD")).toBe("high");
        expect(await t.kv.get("lone\uDC00")).toBe("high");
        expect((await t.kv.list({ prefix: "lone" })).keys.map((key) => key.name)).toEqual(["lone\uFFFD"]);
      });

      it("converts non-string keys to strings, as the binding does", async () => {
        await t.kv.put(42 as unknown as string, "number key");
        expect(await t.kv.get("42")).toBe("number key");
      });

      it("rejects an unknown type with the runtime's TypeError", async () => {
        await t.kv.put("present", "value");
        await expectKVTypeError(
          () => t.kv.get("present", "blob"),
          'Unknown response type. Possible types are "text", "arrayBuffer", "json", and "stream".',
        );
        await expectKVTypeError(
          () => t.kv.getWithMetadata("present", { type: "bytes" }),
          'Unknown response type. Possible types are "text", "arrayBuffer", "json", and "stream".',
        );
      });

      it("reads UTF-8 bytes written as a string", async () => {
        await t.kv.put("utf8", "é😀");
        expect(new Uint8Array(await t.kv.get("utf8", "arrayBuffer"))).toEqual(utf8("é😀"));
      });
    });
  });
}
