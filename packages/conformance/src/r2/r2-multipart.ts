import { describe, expect, it } from "vitest";
import { expectSameBytes, patternBytes } from "../blob-store/test-bytes.js";
import type { DescribeR2Options, R2MultipartUploadLike } from "./r2-fixture.js";
import { bodyText, EMPTY_MD5, expectR2Error, md5Hex, multipartEtagOf } from "./r2-expect.js";
import { useR2TestContext } from "./r2-test-context.js";

const NO_SUCH_UPLOAD = "The specified multipart upload does not exist. (10024)";
const INVALID_PART = "completeMultipartUpload: One or more of the specified parts could not be found. (10025)";
const TOO_SMALL = "completeMultipartUpload: Your proposed upload is smaller than the minimum allowed object size. (10011)";
const BAD_UPLOAD = "completeMultipartUpload: There was a problem with the multipart upload. (10048)";
const SEVEN_DAYS = 7 * 24 * 3600_000;

/** Multipart uploads: parts, completion checks in the service's order, aborts, resumes and reads across parts. */
export function describeR2Multipart(options: DescribeR2Options): void {
  describe(options.name, () => {
    describe("multipart", () => {
      const t = useR2TestContext(options);
      const size = () => t.limits.minPartSize;

      /** Uploads parts of the given sizes (numbered from 1) with distinct contents. */
      async function uploadParts(upload: R2MultipartUploadLike, sizes: readonly number[]) {
        const contents = sizes.map((partSize, index) => patternBytes(partSize, index + 1));
        const parts = [];
        for (const [index, bytes] of contents.entries()) parts.push(await upload.uploadPart(index + 1, bytes));
        return { parts, contents, all: Buffer.concat(contents) };
      }

      it("creates an upload with a 171-character base64url id", async () => {
        const upload = await t.bucket.createMultipartUpload("file");
        expect(upload.key).toBe("file");
        expect(upload.uploadId).toMatch(/^[A-Za-z0-9_-]{171}$/);
        expect((await t.bucket.createMultipartUpload("file")).uploadId).not.toBe(upload.uploadId);
      });

      it("uploads parts whose etags are their MD5s, from every value type", async () => {
        const upload = await t.bucket.createMultipartUpload("file");
        const bytes = patternBytes(size(), 5);
        expect(await upload.uploadPart(1, bytes)).toEqual({ partNumber: 1, etag: md5Hex(bytes) });
        expect(await upload.uploadPart(2, "text part")).toEqual({ partNumber: 2, etag: md5Hex("text part") });
        expect((await upload.uploadPart(3, new Blob([bytes]))).etag).toBe(md5Hex(bytes));
        expect((await upload.uploadPart(4, t.knownLength([bytes.subarray(0, 100), bytes.subarray(100)]))).etag).toBe(md5Hex(bytes));
      });

      it("completes into one object: total size, etag of the part MD5s, metadata of the upload, no checksums", async () => {
        const cacheExpiry = new Date(Date.UTC(2030, 0, 1));
        const upload = await t.bucket.createMultipartUpload("file", {
          httpMetadata: { contentType: "application/octet-stream", cacheExpiry },
          customMetadata: { owner: "me" },
          storageClass: "InfrequentAccess",
        });
        const { parts, contents, all } = await uploadParts(upload, [size(), size(), 10]);
        const object = await upload.complete(parts);
        expect(object).toMatchObject({ key: "file", size: 2 * size() + 10, etag: multipartEtagOf(contents), storageClass: "InfrequentAccess" });
        expect(object.etag).toMatch(/-3$/);
        expect(object.httpEtag).toBe(`"${object.etag}"`);
        expect(object.checksums.toJSON()).toEqual({});
        expect(object.httpMetadata).toEqual({ contentType: "application/octet-stream", cacheExpiry });
        expect(object.customMetadata).toEqual({ owner: "me" });
        expect(object.range).toBeUndefined();
        expect(object.version).toMatch(/^[0-9a-f]{32}$/);
        const got = await t.bucket.get("file");
        expect(got).toMatchObject({ etag: object.etag, size: all.byteLength, storageClass: "InfrequentAccess", customMetadata: { owner: "me" } });
        expectSameBytes(await got.bytes(), all);
        expect((await t.bucket.head("file")).checksums.toJSON()).toEqual({});
      });

      it("completes zero parts into an empty object", async () => {
        const upload = await t.bucket.createMultipartUpload("empty");
        const object = await upload.complete([]);
        expect(object).toMatchObject({ size: 0, etag: `${EMPTY_MD5}-0` });
        expect(await bodyText(await t.bucket.get("empty"))).toBe("");
      });

      it("takes part numbers in any order and with gaps, assembling them in part-number order", async () => {
        const upload = await t.bucket.createMultipartUpload("gaps");
        const a = patternBytes(size(), 1);
        const b = patternBytes(size(), 2);
        const c = patternBytes(7, 3);
        const parts = [await upload.uploadPart(10, c), await upload.uploadPart(1, a), await upload.uploadPart(5, b)];
        const object = await upload.complete([parts[1]!, parts[2]!, parts[0]!]);
        expect(object.etag).toBe(multipartEtagOf([a, b, c]));
        expectSameBytes(await (await t.bucket.get("gaps")).bytes(), Buffer.concat([a, b, c]));
      });

      it("rejects parts that break the size rules: 10011 in argument order, then 10048 in part order", async () => {
        const upload = await t.bucket.createMultipartUpload("sizes");
        const min = size();
        const small = await upload.uploadPart(1, new Uint8Array(min - 1));
        const big = await upload.uploadPart(2, new Uint8Array(min + 1));
        const normal = await upload.uploadPart(3, new Uint8Array(min));
        const last = await upload.uploadPart(4, new Uint8Array(5));
        const bigLast = await upload.uploadPart(5, new Uint8Array(min + 1));
        await expectR2Error(() => upload.complete([small, last]), TOO_SMALL);
        await expectR2Error(() => upload.complete([big, normal, last]), BAD_UPLOAD);
        await expectR2Error(() => upload.complete([normal, bigLast]), BAD_UPLOAD);
        await expectR2Error(() => upload.complete([last, normal]), TOO_SMALL);
        await expectR2Error(() => upload.complete([normal, last, small]), TOO_SMALL);
        // In argument order the small part is last (fine); sorted, it comes first: 10048.
        await expectR2Error(() => upload.complete([normal, small]), BAD_UPLOAD);
        expect(await t.bucket.head("sizes")).toBeNull();
        expect((await upload.complete([normal, last])).size).toBe(min + 5);
      });

      it("rejects missing parts and wrong etags with 10025, and repeated part numbers with 10001", async () => {
        const upload = await t.bucket.createMultipartUpload("parts");
        const one = await upload.uploadPart(1, new Uint8Array(size()));
        const two = await upload.uploadPart(2, "end");
        await expectR2Error(() => upload.complete([one, { partNumber: 3, etag: two.etag }]), INVALID_PART);
        await expectR2Error(() => upload.complete([one, { partNumber: 2, etag: one.etag }]), INVALID_PART);
        await expectR2Error(() => upload.complete([one, one]), "completeMultipartUpload: We encountered an internal error. Please try again. (10001)");
        expect((await upload.complete([one, two])).size).toBe(size() + 3);
      });

      it("replaces a part uploaded again under the same number: its old etag no longer completes", async () => {
        const upload = await t.bucket.createMultipartUpload("again");
        const first = await upload.uploadPart(1, "first");
        const second = await upload.uploadPart(1, "second");
        expect(second.etag).not.toBe(first.etag);
        await expectR2Error(() => upload.complete([first]), INVALID_PART);
        await upload.complete([second]);
        expect(await bodyText(await t.bucket.get("again"))).toBe("second");
      });

      it("rejects unknown, finished and mismatched uploads with 10024", async () => {
        const unknown = t.bucket.resumeMultipartUpload("file", "no-such-upload");
        await expectR2Error(() => unknown.uploadPart(1, "v"), `uploadPart: ${NO_SUCH_UPLOAD}`);
        await expectR2Error(() => unknown.complete([]), `completeMultipartUpload: ${NO_SUCH_UPLOAD}`);
        await expectR2Error(() => unknown.abort(), `abortMultipartUpload: ${NO_SUCH_UPLOAD}`);
        const upload = await t.bucket.createMultipartUpload("file");
        const part = await upload.uploadPart(1, "v");
        await expectR2Error(() => t.bucket.resumeMultipartUpload("other-key", upload.uploadId).uploadPart(1, "v"), `uploadPart: ${NO_SUCH_UPLOAD}`);
        await upload.complete([part]);
        await expectR2Error(() => upload.uploadPart(2, "v"), `uploadPart: ${NO_SUCH_UPLOAD}`);
        await expectR2Error(() => upload.complete([part]), `completeMultipartUpload: ${NO_SUCH_UPLOAD}`);
        await expect(upload.abort()).resolves.toBeUndefined();
        expect(await bodyText(await t.bucket.get("file"))).toBe("v");
      });

      it("aborts an upload: its parts are gone, a second abort does nothing", async () => {
        const upload = await t.bucket.createMultipartUpload("file");
        const part = await upload.uploadPart(1, "v");
        await upload.abort();
        await expect(upload.abort()).resolves.toBeUndefined();
        await expectR2Error(() => upload.uploadPart(2, "v"), `uploadPart: ${NO_SUCH_UPLOAD}`);
        await expectR2Error(() => upload.complete([part]), `completeMultipartUpload: ${NO_SUCH_UPLOAD}`);
        expect(await t.bucket.head("file")).toBeNull();
      });

      it("resumes an upload by key and id", async () => {
        const upload = await t.bucket.createMultipartUpload("file");
        const one = await upload.uploadPart(1, new Uint8Array(size()));
        const resumed = t.bucket.resumeMultipartUpload("file", upload.uploadId);
        expect({ key: resumed.key, uploadId: resumed.uploadId }).toEqual({ key: "file", uploadId: upload.uploadId });
        const two = await resumed.uploadPart(2, "tail");
        expect((await resumed.complete([one, two])).size).toBe(size() + 4);
      });

      it("keeps uploads in progress out of head, get and list", async () => {
        await t.bucket.put("visible", "v");
        const upload = await t.bucket.createMultipartUpload("pending");
        await upload.uploadPart(1, "v");
        expect(await t.bucket.head("pending")).toBeNull();
        expect(await t.bucket.get("pending")).toBeNull();
        expect((await t.bucket.list()).objects.map((object: any) => object.key)).toEqual(["visible"]);
      });

      it("reads exact ranges across part boundaries", async () => {
        const upload = await t.bucket.createMultipartUpload("ranged");
        const { parts, all } = await uploadParts(upload, [size(), size(), size(), 100]);
        await upload.complete(parts);
        const n = size();
        const ranges: [unknown, number, number][] = [
          [{ offset: n - 10, length: 20 }, n - 10, 20],
          [{ offset: n, length: n }, n, n],
          [{ offset: 5, length: 3 * n }, 5, 3 * n],
          [{ offset: 2 * n + 1 }, 2 * n + 1, n + 99],
          [{ suffix: 150 }, 3 * n - 50, 150],
          [new Headers({ Range: `bytes=${n - 1}-${n}` }), n - 1, 2],
        ];
        for (const [range, offset, length] of ranges) {
          const object = await t.bucket.get("ranged", { range });
          expect(object.range, JSON.stringify(range)).toEqual({ offset, length });
          expectSameBytes(await object.bytes(), all.subarray(offset, offset + length), JSON.stringify(range));
        }
      });

      it("replaces and deletes multipart objects like any other", async () => {
        await t.bucket.put("file", "single");
        const upload = await t.bucket.createMultipartUpload("file");
        await upload.complete([await upload.uploadPart(1, "multi")]);
        expect(await bodyText(await t.bucket.get("file"))).toBe("multi");
        await t.bucket.put("file", "single again");
        expect(await bodyText(await t.bucket.get("file"))).toBe("single again");
        const again = await t.bucket.createMultipartUpload("file");
        await again.complete([await again.uploadPart(1, "multi again")]);
        await t.bucket.delete("file");
        expect(await t.bucket.get("file")).toBeNull();
      });

      it("reads httpMetadata for an upload from Headers", async () => {
        const upload = await t.bucket.createMultipartUpload("file", { httpMetadata: new Headers({ "Content-Type": "text/csv" }) });
        const object = await upload.complete([await upload.uploadPart(1, "a,b")]);
        expect(object.httpMetadata).toEqual({ contentType: "text/csv" });
      });

      it("expires an upload 7 days after it was created: parts and completion then fail with 10024", async () => {
        const upload = await t.bucket.createMultipartUpload("file");
        const part = await upload.uploadPart(1, "v");
        t.clock.advance(SEVEN_DAYS - 1);
        await upload.uploadPart(2, "w");
        t.clock.advance(1);
        await expectR2Error(() => upload.uploadPart(3, "x"), `uploadPart: ${NO_SUCH_UPLOAD}`);
        await expectR2Error(() => upload.complete([part]), `completeMultipartUpload: ${NO_SUCH_UPLOAD}`);
        expect(await t.bucket.head("file")).toBeNull();
      });
    });
  });
}
