import { describe, expect, it } from "vitest";
import { expectSameBytes, patternBytes } from "../blob-store/test-bytes.js";
import type { DescribeR2Options } from "./r2-fixture.js";
import { bodyText, hashHex, md5Hex } from "./r2-expect.js";
import { R2_TEST_START, useR2TestContext } from "./r2-test-context.js";

const SEVEN_DAYS = 7 * 24 * 3600_000;

/**
 * What is stored, read through the fixture's backdoor hooks: Miniflare's rows, one blob per
 * object or part, multipart objects that point at their parts instead of copying them, reads
 * that touch only the parts they need, and data that is replaced, deleted or aborted leaving no
 * blob behind.
 */
export function describeR2Storage(options: DescribeR2Options): void {
  const capabilities = options.capabilities ?? {};
  describe(options.name, () => {
    describe("storage", () => {
      const t = useR2TestContext(options);
      const size = () => t.limits.minPartSize;

      async function completeUpload(key: string, sizes: readonly number[]) {
        const upload = await t.bucket.createMultipartUpload(key, { customMetadata: { m: "1" } });
        const parts = [];
        for (const [index, partSize] of sizes.entries()) parts.push(await upload.uploadPart(index + 1, patternBytes(partSize, index + 1)));
        return { upload, object: await upload.complete(parts) };
      }

      it.skipIf(!capabilities.rows)("writes Miniflare's object rows [rows]", async () => {
        t.clock.set(R2_TEST_START + 42);
        await t.bucket.put("b", "body", { httpMetadata: { contentType: "text/plain", cacheExpiry: new Date(1_000) }, customMetadata: { k: "v" } });
        await t.bucket.put("a", "x");
        const rows = await t.hook("objectRows")();
        expect(rows.map((row) => row.key)).toEqual(["a", "b"]);
        const [a, b] = rows;
        expect(a!).toMatchObject({ size: 1, etag: md5Hex("x"), uploaded: R2_TEST_START + 42, http_metadata: "{}", custom_metadata: "{}", checksums: "{}" });
        expect(a!.blob_id).toMatch(/^[A-Za-z0-9_-][A-Za-z0-9._-]*$/);
        expect(a!.blob_id).not.toBe(b!.blob_id);
        expect(a!.version).toMatch(/^[0-9a-f]{32}$/);
        expect(JSON.parse(b!.http_metadata)).toEqual({ contentType: "text/plain", cacheExpiry: 1000 });
        expect(JSON.parse(b!.custom_metadata)).toEqual({ k: "v" });
      });

      it.skipIf(!capabilities.rows)("stores the verified hash, recomputed in lowercase, in the checksums column [rows]", async () => {
        const sha1 = hashHex("sha1", "body");
        await t.bucket.put("key", "body", { sha1: sha1.toUpperCase() });
        const [row] = await t.hook("objectRows")();
        expect(JSON.parse(row!.checksums)).toEqual({ sha1 });
      });

      it.skipIf(!capabilities.rows)("completes an upload by pointing the object row at its parts [rows]", async () => {
        const { upload, object } = await completeUpload("multi", [size(), size(), 10]);
        const [row] = await t.hook("objectRows")();
        expect(row).toMatchObject({ key: "multi", blob_id: null, size: 2 * size() + 10, etag: object.etag, checksums: "{}", custom_metadata: '{"m":"1"}' });
        const parts = await t.hook("partRows")();
        expect(parts.map((part) => [part.part_number, part.object_key, part.size])).toEqual([
          [1, "multi", size()],
          [2, "multi", size()],
          [3, "multi", 10],
        ]);
        expect(parts.every((part) => part.upload_id === upload.uploadId && part.etag === part.checksum_md5)).toBe(true);
        expect(await t.hook("uploadRows")()).toEqual([
          { upload_id: upload.uploadId, key: "multi", http_metadata: "{}", custom_metadata: '{"m":"1"}', state: 1 },
        ]);
      });

      it.skipIf(!capabilities.rows)("keeps upload rows when uploads finish, deleting only their parts [rows]", async () => {
        const aborted = await t.bucket.createMultipartUpload("a");
        await aborted.uploadPart(1, "v");
        await aborted.abort();
        const pending = await t.bucket.createMultipartUpload("p");
        await pending.uploadPart(1, "v");
        const states = Object.fromEntries((await t.hook("uploadRows")()).map((row) => [row.key, row.state]));
        expect(states).toEqual({ a: 2, p: 0 });
        expect((await t.hook("partRows")()).map((part) => part.upload_id)).toEqual([pending.uploadId]);
      });

      it.skipIf(!capabilities.blobCount)("keeps one blob per object: overwrites keep the count, deletes lower it [blobCount]", async () => {
        const blobCount = t.hook("blobCount");
        await t.bucket.put("a", "one");
        await t.bucket.put("empty", "");
        expect(await blobCount()).toBe(2);
        await t.bucket.put("a", "two");
        await t.bucket.put("a", patternBytes(5000));
        expect(await blobCount()).toBe(2);
        await t.bucket.delete("a");
        expect(await blobCount()).toBe(1);
        await t.bucket.delete(["a", "empty"]);
        expect(await blobCount()).toBe(0);
      });

      it.skipIf(!capabilities.blobCount)("leaves no blob behind for a put that fails: stream error, checksum, precondition [blobCount]", async () => {
        await t.bucket.put("key", "old");
        const failing = new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new Uint8Array(1000));
          },
          pull(controller) {
            controller.error(new Error("broken"));
          },
        });
        await expect(t.bucket.put("key", t.fixture.knownLength(failing, 5000))).rejects.toThrow("broken");
        await expect(t.bucket.put("key", "new", { md5: "0".repeat(32) })).rejects.toThrow("(10037)");
        expect(await t.bucket.put("key", "new", { onlyIf: { etagMatches: "nope" } })).toBeNull();
        expect(await t.hook("blobCount")()).toBe(1);
        expect(await bodyText(await t.bucket.get("key"))).toBe("old");
      });

      it.skipIf(!capabilities.blobCount)("completes an upload without copying a byte: one blob per part, unused parts deleted [blobCount]", async () => {
        const blobCount = t.hook("blobCount");
        const upload = await t.bucket.createMultipartUpload("multi");
        const one = await upload.uploadPart(1, patternBytes(size(), 1));
        await upload.uploadPart(2, patternBytes(size(), 2));
        await upload.uploadPart(2, patternBytes(size(), 3));
        const three = await upload.uploadPart(3, "tail");
        await upload.uploadPart(4, "unused");
        expect(await blobCount()).toBe(4);
        await upload.complete([one, { partNumber: 2, etag: md5Hex(patternBytes(size(), 3)) }, three]);
        expect(await blobCount()).toBe(3);
        expectSameBytes(await (await t.bucket.get("multi")).bytes(), Buffer.concat([patternBytes(size(), 1), patternBytes(size(), 3), Buffer.from("tail")]));
      });

      it.skipIf(!capabilities.blobCount)("deletes the parts of a replaced, deleted or aborted multipart object [blobCount]", async () => {
        const blobCount = t.hook("blobCount");
        await completeUpload("m", [size(), size(), 5]);
        expect(await blobCount()).toBe(3);
        await t.bucket.put("m", "single");
        expect(await blobCount()).toBe(1);
        await completeUpload("m", [size(), 5]);
        expect(await blobCount()).toBe(2);
        await completeUpload("m", [7]);
        expect(await blobCount()).toBe(1);
        await t.bucket.delete("m");
        expect(await blobCount()).toBe(0);
        const aborted = await t.bucket.createMultipartUpload("a");
        await aborted.uploadPart(1, "x");
        await aborted.uploadPart(2, "y");
        expect(await blobCount()).toBe(2);
        await aborted.abort();
        expect(await blobCount()).toBe(0);
      });

      it.skipIf(!capabilities.blobReads)("reads only the parts a range overlaps [blobReads]", async () => {
        await completeUpload("m", [size(), size(), size(), 9]);
        const blobReads = t.hook("blobReads");
        await blobReads();
        const read = async (range: unknown) => {
          await (await t.bucket.get("m", { range })).arrayBuffer();
          return blobReads();
        };
        expect(await read({ offset: size() + 1, length: 10 })).toHaveLength(1);
        const across = await read({ offset: size() - 1, length: 2 });
        expect(across).toHaveLength(2);
        expect(new Set(across).size).toBe(2);
        expect(await read({ suffix: 5 })).toHaveLength(1);
        expect(await read(undefined)).toHaveLength(4);
      });

      it.skipIf(!capabilities.blobReads)("opens no part before the body is read [blobReads]", async () => {
        await completeUpload("m", [size(), 9]);
        const blobReads = t.hook("blobReads");
        await blobReads();
        const object = await t.bucket.get("m");
        expect(await blobReads()).toEqual([]);
        await object.body.cancel();
        expect(await blobReads()).toEqual([]);
      });

      it.skipIf(!capabilities.blobCount)("keeps a multipart object's parts until a read in progress has finished [blobCount]", async () => {
        await completeUpload("m", [size(), size(), 9]);
        const expected = Buffer.concat([patternBytes(size(), 1), patternBytes(size(), 2), patternBytes(9, 3)]);
        const reading = await t.bucket.get("m");
        await t.bucket.delete("m");
        expectSameBytes(await reading.bytes(), expected);
        expect(await t.hook("blobCount")()).toBe(0);
      });

      it.skipIf(!capabilities.sweep || !capabilities.blobCount)("sweeps orphan blobs and never a referenced one [sweep, blobCount]", async () => {
        const sweep = t.maintenance("sweep");
        await t.bucket.put("single", "v");
        await completeUpload("multi", [size(), 5]);
        const pending = await t.bucket.createMultipartUpload("pending");
        await pending.uploadPart(1, "p");
        await t.hook("putOrphanBlob")();
        expect(await t.hook("blobCount")()).toBe(5);
        t.clock.advance(2 * 3600_000);
        expect((await sweep({ graceMs: 3600_000 })).deletedBlobs).toBe(1);
        expect(await t.hook("blobCount")()).toBe(4);
        expect(await bodyText(await t.bucket.get("single"))).toBe("v");
        expect((await t.bucket.get("multi")).size).toBe(size() + 5);
        expect((await pending.complete([{ partNumber: 1, etag: md5Hex("p") }])).size).toBe(1);
      });

      it.skipIf(!capabilities.sweep || !capabilities.blobCount)("spares orphans younger than the grace period [sweep, blobCount]", async () => {
        await t.hook("putOrphanBlob")();
        t.clock.advance(1000);
        expect((await t.maintenance("sweep")({ graceMs: 60_000 })).deletedBlobs).toBe(0);
        expect(await t.hook("blobCount")()).toBe(1);
      });

      it.skipIf(!capabilities.expireUploads || !capabilities.blobCount)("expires uploads older than 7 days, deleting their parts [expireUploads, blobCount]", async () => {
        const expire = t.maintenance("expireMultipartUploads");
        const old = await t.bucket.createMultipartUpload("old");
        await old.uploadPart(1, "a");
        await old.uploadPart(2, "b");
        t.clock.advance(3 * 24 * 3600_000);
        const young = await t.bucket.createMultipartUpload("young");
        await young.uploadPart(1, "c");
        expect(await expire()).toBe(0);
        t.clock.advance(SEVEN_DAYS - 3 * 24 * 3600_000);
        expect(await expire()).toBe(1);
        expect(await t.hook("blobCount")()).toBe(1);
        await expect(old.uploadPart(3, "d")).rejects.toThrow("(10024)");
        expect((await young.complete([{ partNumber: 1, etag: md5Hex("c") }])).size).toBe(1);
        expect(await expire({ olderThanMs: 0 })).toBe(0);
      });

      it.skipIf(!capabilities.expireUploads)("expires uploads after a shorter age on request [expireUploads]", async () => {
        const upload = await t.bucket.createMultipartUpload("file");
        t.clock.advance(60_000);
        expect(await t.maintenance("expireMultipartUploads")({ olderThanMs: 120_000 })).toBe(0);
        expect(await t.maintenance("expireMultipartUploads")({ olderThanMs: 60_000 })).toBe(1);
        await expect(upload.complete([])).rejects.toThrow("(10024)");
      });

      it.skipIf(!capabilities.persistent)("keeps objects, metadata and uploads in progress across a reopen [persistent]", async () => {
        await t.bucket.put("single", "v", { customMetadata: { a: "b" }, storageClass: "InfrequentAccess" });
        const { object } = await completeUpload("multi", [size(), 3]);
        const pending = await t.bucket.createMultipartUpload("pending");
        const part = await pending.uploadPart(1, "p");
        const reopened = await t.reopen();
        const single = await reopened.get("single");
        expect(await single.text()).toBe("v");
        expect(single).toMatchObject({ customMetadata: { a: "b" }, storageClass: "InfrequentAccess" });
        expect((await reopened.head("multi")).etag).toBe(object.etag);
        expect((await (await reopened.get("multi", { range: { suffix: 3 } })).bytes()).byteLength).toBe(3);
        const resumed = reopened.resumeMultipartUpload("pending", pending.uploadId);
        expect((await resumed.complete([part])).size).toBe(1);
      });
    });
  });
}
