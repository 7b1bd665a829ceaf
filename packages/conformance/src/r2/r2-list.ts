import { describe, expect, it } from "vitest";
import type { DescribeR2Options } from "./r2-fixture.js";
import { listAll, md5Hex } from "./r2-expect.js";
import { useR2TestContext } from "./r2-test-context.js";

/** Keys in UTF-8 byte order (spec r2.md §3): `Z` < `a` < `é`, and U+FFFF < U+1F600, unlike UTF-16 order. */
const ORDERED_KEYS = [" ", "A", "Z", "_", "a", "a%", "a/", "a/b", "a0", "ab", "z", "~", "é", "｡", "\uFFFF", "😀"];

/** Listing: order, prefixes, cursors, `startAfter`, `include`, limits and delimiters. */
export function describeR2List(options: DescribeR2Options): void {
  describe(options.name, () => {
    describe("list", () => {
      const t = useR2TestContext(options);

      async function putAll(keys: readonly string[]): Promise<void> {
        for (const key of keys) await t.bucket.put(key, key, { customMetadata: { key }, httpMetadata: { contentType: "text/plain" } });
      }

      it("lists an empty bucket as an empty, complete page without a cursor", async () => {
        const page = await t.bucket.list();
        expect(page).toEqual({ objects: [], delimitedPrefixes: [], truncated: false });
        expect("cursor" in page).toBe(false);
      });

      it("lists keys in UTF-8 byte order, with metadata but no range", async () => {
        await putAll([...ORDERED_KEYS].reverse());
        const page = await t.bucket.list();
        expect(page.objects.map((object: any) => object.key)).toEqual(ORDERED_KEYS);
        const first = page.objects[0];
        expect(first).toMatchObject({ key: " ", size: 1, etag: md5Hex(" "), storageClass: "Standard" });
        expect(first.version).toMatch(/^[0-9a-f]{32}$/);
        expect(first.uploaded).toBeInstanceOf(Date);
        expect(first.checksums.toJSON()).toEqual({ md5: md5Hex(" ") });
        expect(first.range).toBeUndefined();
      });

      it("returns httpMetadata and customMetadata as {} unless include asks for them", async () => {
        await putAll(["a"]);
        const plain = (await t.bucket.list()).objects[0];
        expect(plain.httpMetadata).toEqual({});
        expect(plain.customMetadata).toEqual({});
        const http = (await t.bucket.list({ include: ["httpMetadata"] })).objects[0];
        expect(http.httpMetadata).toEqual({ contentType: "text/plain" });
        expect(http.customMetadata).toEqual({});
        const both = (await t.bucket.list({ include: ["httpMetadata", "customMetadata"] })).objects[0];
        expect(both.httpMetadata).toEqual({ contentType: "text/plain" });
        expect(both.customMetadata).toEqual({ key: "a" });
      });

      it("matches prefixes literally, case-sensitively and byte for byte (%, _, NUL)", async () => {
        await putAll(["a%b", "a_b", "aXb", "A%b", "n\u0000a", "n\u0000b", "n", "n\u0001"]);
        const keys = async (prefix: string) => (await t.bucket.list({ prefix })).objects.map((object: any) => object.key);
        expect(await keys("a%")).toEqual(["a%b"]);
        expect(await keys("a_")).toEqual(["a_b"]);
        expect(await keys("a")).toEqual(["a%b", "aXb", "a_b"]);
        expect(await keys("n\u0000")).toEqual(["n\u0000a", "n\u0000b"]);
        expect(await keys("\uFFFF")).toEqual([]);
      });

      it("pages with limit and cursor: truncated only while more keys exist, a cursor only when truncated", async () => {
        const keys = Array.from({ length: 7 }, (_, index) => `key-${index}`);
        await putAll(keys);
        const first = await t.bucket.list({ limit: 3 });
        expect(first.objects.map((object: any) => object.key)).toEqual(keys.slice(0, 3));
        expect(first.truncated).toBe(true);
        expect(first.cursor).toBe(Buffer.from("key-2").toString("base64"));
        const exact = await t.bucket.list({ limit: 7 });
        expect(exact.truncated).toBe(false);
        expect("cursor" in exact).toBe(false);
        expect(await listAll(t.bucket, { limit: 3 })).toEqual({ keys, prefixes: [], pages: 3 });
      });

      it("keeps a cursor working across writes: keys added after it appear, deleted ones do not", async () => {
        await putAll(["a", "b", "c", "d"]);
        const first = await t.bucket.list({ limit: 2 });
        await t.bucket.put("bb", "bb");
        await t.bucket.delete("c");
        const second = await t.bucket.list({ cursor: first.cursor });
        expect(second.objects.map((object: any) => object.key)).toEqual(["bb", "d"]);
      });

      it("starts after startAfter (exclusive); with a cursor too, the later of the two wins; a bad cursor is no error", async () => {
        await putAll(["a", "b", "c", "d", "e"]);
        const keys = async (options: Record<string, unknown>) => (await t.bucket.list(options)).objects.map((object: any) => object.key);
        expect(await keys({ startAfter: "b" })).toEqual(["c", "d", "e"]);
        expect(await keys({ startAfter: "bb" })).toEqual(["c", "d", "e"]);
        const cursorAfterC = Buffer.from("c").toString("base64");
        expect(await keys({ startAfter: "a", cursor: cursorAfterC })).toEqual(["d", "e"]);
        expect(await keys({ startAfter: "d", cursor: cursorAfterC })).toEqual(["e"]);
        expect(await keys({ prefix: "c", startAfter: "a" })).toEqual(["c"]);
        await expect(t.bucket.list({ cursor: "%%% not base64 %%%" })).resolves.toHaveProperty("objects");
      });

      it("caps a page at 100 entries when include asks for metadata", async () => {
        await Promise.all(Array.from({ length: 120 }, (_, index) => t.bucket.put(`k${String(index).padStart(3, "0")}`, "v")));
        const page = await t.bucket.list({ include: ["customMetadata"] });
        expect(page.objects).toHaveLength(100);
        expect(page.truncated).toBe(true);
        expect((await t.bucket.list({ include: ["customMetadata"], limit: 10 })).objects).toHaveLength(10);
        expect((await t.bucket.list()).objects).toHaveLength(120);
      });

      it("groups keys by delimiter into delimitedPrefixes; objects and prefixes together count toward the limit", async () => {
        await putAll(["a/1", "a/2", "a0", "b/x/y", "b/z", "c", "d/"]);
        const page = await t.bucket.list({ delimiter: "/" });
        expect(page.objects.map((object: any) => object.key)).toEqual(["a0", "c"]);
        expect(page.delimitedPrefixes).toEqual(["a/", "b/", "d/"]);
        expect(page.truncated).toBe(false);
        const nested = await t.bucket.list({ prefix: "b/", delimiter: "/" });
        expect(nested.objects.map((object: any) => object.key)).toEqual(["b/z"]);
        expect(nested.delimitedPrefixes).toEqual(["b/x/"]);
        const limited = await t.bucket.list({ delimiter: "/", limit: 2 });
        expect([...limited.delimitedPrefixes, ...limited.objects.map((object: any) => object.key)]).toEqual(["a/", "a0"]);
        expect(limited.truncated).toBe(true);
      });

      it("ends a group at its greatest key, so the next page skips the whole group", async () => {
        await putAll(["a/1", "a/2", "a/3", "b", "c/1", "c/2", "d"]);
        const first = await t.bucket.list({ delimiter: "/", limit: 1 });
        expect(first.delimitedPrefixes).toEqual(["a/"]);
        expect(first.cursor).toBe(Buffer.from("a/3").toString("base64"));
        const all = await listAll(t.bucket, { delimiter: "/", limit: 1 });
        expect(all).toEqual({ keys: ["b", "d"], prefixes: ["a/", "c/"], pages: 4 });
        expect(await listAll(t.bucket, { delimiter: "/", limit: 2 })).toEqual({ keys: ["b", "d"], prefixes: ["a/", "c/"], pages: 2 });
      });

      it("accepts multi-character delimiters, and treats an empty delimiter as none", async () => {
        await putAll(["x--1", "x--2", "x-3", "y--"]);
        const page = await t.bucket.list({ delimiter: "--" });
        expect(page.delimitedPrefixes).toEqual(["x--", "y--"]);
        expect(page.objects.map((object: any) => object.key)).toEqual(["x-3"]);
        const none = await t.bucket.list({ delimiter: "" });
        expect(none.delimitedPrefixes).toEqual([]);
        expect(none.objects).toHaveLength(4);
      });
    });
  });
}
