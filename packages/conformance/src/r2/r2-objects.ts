import { describe, expect, it } from "vitest";
import { expectSameBytes, patternBytes, splitUnevenly, utf8 } from "../blob-store/test-bytes.js";
import type { DescribeR2Options } from "./r2-fixture.js";
import { bodyText, EMPTY_MD5, expectThrown, md5Hex } from "./r2-expect.js";
import { R2_TEST_START, useR2TestContext } from "./r2-test-context.js";

const UNKNOWN_LENGTH =
  "Provided readable stream must have a known length (request/response body or readable half of FixedLengthStream)";

/** Objects: every value type, every `R2Object` / `R2ObjectBody` field, metadata, overwrites, deletes and keys. */
export function describeR2Objects(options: DescribeR2Options): void {
  describe(options.name, () => {
    describe("objects", () => {
      const t = useR2TestContext(options);

      it("put resolves with every R2Object field", async () => {
        t.clock.set(R2_TEST_START + 1234);
        const object = await t.bucket.put("greeting", "hello world");
        expect(object.key).toBe("greeting");
        expect(object.version).toMatch(/^[0-9a-f]{32}$/);
        expect(object.size).toBe(11);
        expect(object.etag).toBe(md5Hex("hello world"));
        expect(object.httpEtag).toBe(`"${md5Hex("hello world")}"`);
        expect(object.checksums.toJSON()).toEqual({ md5: md5Hex("hello world") });
        expectSameBytes(new Uint8Array(object.checksums.md5), Buffer.from(md5Hex("hello world"), "hex"));
        expect(object.uploaded).toBeInstanceOf(Date);
        expect(object.uploaded.getTime()).toBe(R2_TEST_START + 1234);
        expect(object.httpMetadata).toEqual({});
        expect(object.customMetadata).toEqual({});
        expect(object.range).toBeUndefined();
        expect(object.storageClass).toBe("Standard");
        expect(object.ssecKeyMd5).toBeUndefined();
        expect("body" in object).toBe(false);
      });

      it("head returns the metadata with the whole object as range, and null for a missing key", async () => {
        const put = await t.bucket.put("key", "value", { customMetadata: { a: "b" } });
        const head = await t.bucket.head("key");
        expect(head).toMatchObject({ key: "key", version: put.version, size: 5, etag: put.etag, customMetadata: { a: "b" } });
        expect(head.range).toEqual({ offset: 0, length: 5 });
        expect(head.uploaded.getTime()).toBe(put.uploaded.getTime());
        expect("body" in head).toBe(false);
        expect(await t.bucket.head("missing")).toBeNull();
        expect(await t.bucket.get("missing")).toBeNull();
      });

      it("get returns a body readable once, through every reading method", async () => {
        const json = JSON.stringify({ answer: 42 });
        await t.bucket.put("doc", json, { httpMetadata: { contentType: "application/json" } });
        const object = await t.bucket.get("doc");
        expect(object.range).toEqual({ offset: 0, length: json.length });
        expect(object.bodyUsed).toBe(false);
        expect(await object.json()).toEqual({ answer: 42 });
        expect(object.bodyUsed).toBe(true);
        await expect(object.text()).rejects.toBeInstanceOf(TypeError);
        expect(await (await t.bucket.get("doc")).text()).toBe(json);
        expectSameBytes(new Uint8Array(await (await t.bucket.get("doc")).arrayBuffer()), utf8(json));
        expectSameBytes(await (await t.bucket.get("doc")).bytes(), utf8(json));
        const blob = await (await t.bucket.get("doc")).blob();
        expect(blob.type).toBe("application/json");
        expect(await blob.text()).toBe(json);
        const chunks: Uint8Array[] = [];
        for await (const chunk of (await t.bucket.get("doc")).body as AsyncIterable<Uint8Array>) chunks.push(chunk);
        expect(Buffer.concat(chunks).toString()).toBe(json);
      });

      it("stores strings, ArrayBuffers, views, Blobs and null, with the MD5 as etag", async () => {
        const bytes = patternBytes(3000, 4);
        const values: [string, unknown, Uint8Array][] = [
          ["string", "héllo ✓", utf8("héllo ✓")],
          ["buffer", bytes.slice().buffer, bytes],
          ["view", bytes.subarray(10, 30), bytes.slice(10, 30)],
          ["u16", new Uint16Array([0x0102, 0x0304]), new Uint8Array(new Uint16Array([0x0102, 0x0304]).buffer)],
          ["dataview", new DataView(bytes.buffer, 5, 3), bytes.slice(5, 8)],
          ["blob", new Blob(["part one, ", "part two"]), utf8("part one, part two")],
          ["null", null, new Uint8Array(0)],
        ];
        for (const [key, value, expected] of values) {
          const object = await t.bucket.put(key, value);
          expect(object.size, key).toBe(expected.byteLength);
          expect(object.etag, key).toBe(md5Hex(expected));
          expectSameBytes(await (await t.bucket.get(key)).bytes(), expected, key);
        }
        expect((await t.bucket.head("null")).etag).toBe(EMPTY_MD5);
      });

      it("stores a stream of known length delivered in uneven chunks", async () => {
        const bytes = patternBytes(300_000, 9);
        const object = await t.bucket.put("stream", t.knownLength(splitUnevenly(bytes, 70_000)));
        expect(object).toMatchObject({ size: bytes.byteLength, etag: md5Hex(bytes) });
        expectSameBytes(await (await t.bucket.get("stream")).bytes(), bytes);
        await t.bucket.put("empty-stream", t.knownLength([]));
        expect((await t.bucket.head("empty-stream")).size).toBe(0);
      });

      it("copies bytes when put is called, so later changes to the buffer are not stored", async () => {
        const bytes = new Uint8Array([1, 2, 3]);
        const writing = t.bucket.put("copied", bytes);
        bytes.fill(0);
        await writing;
        expectSameBytes(await (await t.bucket.get("copied")).bytes(), new Uint8Array([1, 2, 3]));
      });

      it("rejects a stream of unknown length with the runtime's TypeError, storing nothing", async () => {
        const stream = new ReadableStream<Uint8Array>({ pull: (controller) => controller.enqueue(new Uint8Array(10)) });
        await expectThrown(() => t.bucket.put("unknown", stream), TypeError, UNKNOWN_LENGTH);
        expect(await t.bucket.head("unknown")).toBeNull();
      });

      it("rejects values of other types with a TypeError, storing nothing", async () => {
        for (const value of [42, true, { a: 1 }, [1, 2]]) {
          await expect(Promise.resolve().then(() => t.bucket.put("bad", value))).rejects.toBeInstanceOf(TypeError);
        }
        expect(await t.bucket.head("bad")).toBeNull();
      });

      it("overwrites: a new version each time, the same etag for the same bytes, metadata replaced", async () => {
        const first = await t.bucket.put("key", "same", { customMetadata: { v: "1" }, httpMetadata: { contentType: "text/plain" } });
        t.clock.advance(1000);
        const second = await t.bucket.put("key", "same");
        expect(second.etag).toBe(first.etag);
        expect(second.version).not.toBe(first.version);
        const head = await t.bucket.head("key");
        expect(head).toMatchObject({ version: second.version, customMetadata: {}, httpMetadata: {} });
        expect(head.uploaded.getTime()).toBe(R2_TEST_START + 1000);
        await t.bucket.put("key", "different");
        expect(await bodyText(await t.bucket.get("key"))).toBe("different");
      });

      it("keeps httpMetadata given as an object, dropping unknown fields, and writes it as headers", async () => {
        const cacheExpiry = new Date(Date.UTC(2030, 0, 2, 3, 4, 5));
        const httpMetadata = {
          contentType: "text/html",
          contentLanguage: "en-GB",
          contentDisposition: 'attachment; filename="a.html"',
          contentEncoding: "identity",
          cacheControl: "max-age=60",
          cacheExpiry,
          somethingElse: "dropped",
        };
        const put = await t.bucket.put("page", "<p>", { httpMetadata });
        const { somethingElse: _dropped, ...kept } = httpMetadata;
        expect(put.httpMetadata).toEqual(kept);
        for (const object of [await t.bucket.head("page"), await t.bucket.get("page")]) {
          expect(object.httpMetadata).toEqual(kept);
          expect(object.httpMetadata.cacheExpiry).toBeInstanceOf(Date);
          const headers = new Headers();
          object.writeHttpMetadata(headers);
          expect(Object.fromEntries(headers)).toEqual({
            "content-type": "text/html",
            "content-language": "en-GB",
            "content-disposition": 'attachment; filename="a.html"',
            "content-encoding": "identity",
            "cache-control": "max-age=60",
            expires: "Wed, 02 Jan 2030 03:04:05 GMT",
          });
        }
      });

      it("reads httpMetadata from Headers, with expires as cacheExpiry", async () => {
        const headers = new Headers({
          "Content-Type": "image/png",
          "Cache-Control": "no-store",
          Expires: "Wed, 02 Jan 2030 03:04:05 GMT",
          "X-Other": "ignored",
        });
        await t.bucket.put("image", "png", { httpMetadata: headers });
        expect((await t.bucket.head("image")).httpMetadata).toEqual({
          contentType: "image/png",
          cacheControl: "no-store",
          cacheExpiry: new Date(Date.UTC(2030, 0, 2, 3, 4, 5)),
        });
      });

      it("converts customMetadata values to strings and returns them everywhere", async () => {
        const put = await t.bucket.put("meta", "v", { customMetadata: { number: 12 as unknown as string, text: "é ✓", empty: "" } });
        const expected = { number: "12", text: "é ✓", empty: "" };
        expect(put.customMetadata).toEqual(expected);
        expect((await t.bucket.head("meta")).customMetadata).toEqual(expected);
        expect((await t.bucket.get("meta")).customMetadata).toEqual(expected);
      });

      it("records the storage class: Standard by default, InfrequentAccess when asked, Standard otherwise", async () => {
        expect((await t.bucket.put("standard", "v")).storageClass).toBe("Standard");
        expect((await t.bucket.put("cold", "v", { storageClass: "InfrequentAccess" })).storageClass).toBe("InfrequentAccess");
        expect((await t.bucket.put("odd", "v", { storageClass: "Glacier" })).storageClass).toBe("Standard");
        expect((await t.bucket.head("cold")).storageClass).toBe("InfrequentAccess");
        expect((await t.bucket.get("cold")).storageClass).toBe("InfrequentAccess");
        expect((await t.bucket.head("standard")).storageClass).toBe("Standard");
        const listed = await t.bucket.list();
        expect(Object.fromEntries(listed.objects.map((object: any) => [object.key, object.storageClass]))).toEqual({
          cold: "InfrequentAccess",
          odd: "Standard",
          standard: "Standard",
        });
        await t.bucket.put("cold", "rewritten");
        expect((await t.bucket.head("cold")).storageClass).toBe("Standard");
      });

      it("deletes one key or many in one call; missing keys are ignored", async () => {
        for (const key of ["a", "b", "c", "d"]) await t.bucket.put(key, key);
        await expect(t.bucket.delete("a")).resolves.toBeUndefined();
        await expect(t.bucket.delete(["b", "c", "never-existed"])).resolves.toBeUndefined();
        await t.bucket.delete("a");
        await t.bucket.delete([]);
        expect((await t.bucket.list()).objects.map((object: any) => object.key)).toEqual(["d"]);
        expect(await t.bucket.get("b")).toBeNull();
      });

      it("round-trips any key up to 1024 UTF-8 bytes unchanged, and stores a lone surrogate as U+FFFD", async () => {
        const keys = ["", "../x", "/lead//double/", "nul\u0000byte", "new\nline", "😀 emoji", "%_*?", "é".repeat(512)];
        for (const [index, key] of keys.entries()) await t.bucket.put(key, `value ${index}`);
        for (const [index, key] of keys.entries()) {
          const object = await t.bucket.get(key);
          expect(object?.key, JSON.stringify(key)).toBe(key);
          expect(await object.text()).toBe(`value ${index}`);
        }
        expect((await t.bucket.list()).objects.map((object: any) => object.key).sort()).toEqual([...keys].sort());
        await t.bucket.put("lone\uD800", "surrogate");
        expect(await bodyText(await t.bucket.get("lone\uFFFD"))).toBe("surrogate");
        expect((await t.bucket.head("lone\uD800")).key).toBe("lone\uFFFD");
      });

      it("rejects a put whose stream errors midway: nothing stored, the old object intact", async () => {
        await t.bucket.put("key", "old");
        let sent = 0;
        const failing = new ReadableStream<Uint8Array>({
          pull(controller) {
            if (sent++ < 3) controller.enqueue(new Uint8Array(1000));
            else controller.error(new Error("source broke"));
          },
        });
        await expect(t.bucket.put("key", t.fixture.knownLength(failing, 10_000))).rejects.toThrow("source broke");
        await expect(t.bucket.put("short", t.knownLength([new Uint8Array(10)], 20))).rejects.toThrow();
        expect(await bodyText(await t.bucket.get("key"))).toBe("old");
        expect(await t.bucket.head("short")).toBeNull();
      });

      it("validates an SSE-C key, then ignores it", async () => {
        const key = "0123456789abcdef".repeat(4);
        const put = await t.bucket.put("secret", "v", { ssecKey: key });
        expect(put.ssecKeyMd5).toBeUndefined();
        expect(await bodyText(await t.bucket.get("secret", { ssecKey: new Uint8Array(32).buffer }))).toBe("v");
        await expectThrown(() => t.bucket.put("secret", "v", { ssecKey: "XYZ" }), Error, "SSE-C Key has invalid format");
        await expectThrown(() => t.bucket.get("secret", { ssecKey: "abcd" }), Error, "SSE-C Key must be 32 bytes in length");
      });

      it("serves parallel puts and reads of different keys", async () => {
        const keys = Array.from({ length: 20 }, (_, index) => `parallel/${index}`);
        await Promise.all(keys.map((key, index) => t.bucket.put(key, patternBytes(5000 + index, index))));
        const read = await Promise.all(keys.map(async (key) => (await t.bucket.get(key)).bytes()));
        read.forEach((bytes, index) => expectSameBytes(bytes, patternBytes(5000 + index, index), keys[index]));
      });
    });
  });
}
