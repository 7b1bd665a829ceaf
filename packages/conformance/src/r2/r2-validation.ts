import { describe, expect, it } from "vitest";
import type { DescribeR2Options } from "./r2-fixture.js";
import { bodyText, expectR2Error, expectThrown } from "./r2-expect.js";
import { useR2TestContext } from "./r2-test-context.js";

/** Production's largest single upload: 5 GiB − 5 MiB. */
const MAX_UPLOAD = 5 * 1024 ** 3 - 5 * 1024 ** 2;
const LONG_KEY = "k".repeat(1025);
const INVALID_NAME = "The specified object name is not valid. (10020)";
const TOO_LARGE = "Your proposed upload exceeds the maximum allowed object size. (100100)";
const METADATA_TOO_LARGE = "Your metadata headers exceed the maximum allowed metadata size. (10012)";

/**
 * Validation and limits: keys, metadata size, upload sizes (checked before storing), the
 * delete cap, list limits, part numbers, and the order of the put checks; every error in the
 * runtime's type and words.
 */
export function describeR2Validation(options: DescribeR2Options): void {
  describe(options.name, () => {
    describe("validation", () => {
      const t = useR2TestContext(options, { minPartSize: 1024, maxObjectSize: 2500 });

      /** An endless stream that claims `length` bytes and counts how often it was read. */
      function hugeStream(length: number) {
        const probe = { pulls: 0 };
        const source = new ReadableStream<Uint8Array>(
          {
            pull(controller) {
              probe.pulls += 1;
              controller.enqueue(new Uint8Array(64 * 1024));
            },
          },
          { highWaterMark: 0 },
        );
        return { stream: t.fixture.knownLength(source, length), probe };
      }

      it("accepts keys up to 1024 UTF-8 bytes and rejects longer ones with 10020 on every operation", async () => {
        await t.bucket.put("é".repeat(512), "ok");
        const tooLong = "€".repeat(342); // 1026 bytes, 342 characters
        for (const key of [LONG_KEY, tooLong]) {
          await expectR2Error(() => t.bucket.head(key), `head: ${INVALID_NAME}`);
          await expectR2Error(() => t.bucket.get(key), `get: ${INVALID_NAME}`);
          await expectR2Error(() => t.bucket.put(key, "v"), `put: ${INVALID_NAME}`);
          await expectR2Error(() => t.bucket.delete(key), `delete: ${INVALID_NAME}`);
          await expectR2Error(() => t.bucket.delete(["fine", key]), `delete: ${INVALID_NAME}`);
          await expectR2Error(() => t.bucket.createMultipartUpload(key), `createMultipartUpload: ${INVALID_NAME}`);
          const upload = t.bucket.resumeMultipartUpload(key, "no-such-upload");
          await expectR2Error(() => upload.uploadPart(1, "v"), `uploadPart: ${INVALID_NAME}`);
          await expectR2Error(() => upload.complete([]), `completeMultipartUpload: ${INVALID_NAME}`);
          await expectR2Error(() => upload.abort(), `abortMultipartUpload: ${INVALID_NAME}`);
        }
        expect((await t.bucket.list()).objects).toHaveLength(1);
      });

      it("limits custom metadata to 2048 by R2's weighted count, on put and createMultipartUpload", async () => {
        await t.bucket.put("ascii", "v", { customMetadata: { k: "v".repeat(2047) } });
        await t.bucket.put("latin1", "v", { customMetadata: { é: "é".repeat(2046) } });
        await expectR2Error(() => t.bucket.put("over", "v", { customMetadata: { k: "v".repeat(2048) } }), `put: ${METADATA_TOO_LARGE}`);
        await expectR2Error(() => t.bucket.put("emoji", "v", { customMetadata: { e: "😀".repeat(512) } }), `put: ${METADATA_TOO_LARGE}`);
        await expectR2Error(
          () => t.bucket.createMultipartUpload("upload", { customMetadata: { k: "v".repeat(2048) } }),
          `createMultipartUpload: ${METADATA_TOO_LARGE}`,
        );
        expect(await t.bucket.head("over")).toBeNull();
        expect((await t.bucket.head("ascii")).customMetadata.k).toHaveLength(2047);
      });

      it("rejects an upload over 5 GiB − 5 MiB with 100100 before reading a byte of it", async () => {
        const put = hugeStream(MAX_UPLOAD + 1);
        await expectR2Error(() => t.bucket.put("huge", put.stream), `put: ${TOO_LARGE}`);
        expect(put.probe.pulls, "the body must not be read").toBeLessThanOrEqual(2);
        expect(await t.bucket.head("huge")).toBeNull();
        const upload = await t.bucket.createMultipartUpload("huge");
        const part = hugeStream(MAX_UPLOAD + 1);
        await expectR2Error(() => upload.uploadPart(1, part.stream), `uploadPart: ${TOO_LARGE}`);
        expect(part.probe.pulls, "the body must not be read").toBeLessThanOrEqual(2);
      });

      it("rejects completing an object over the largest object size with 100100", async () => {
        const upload = await t.bucket.createMultipartUpload("big");
        const parts: { partNumber: number; etag: string }[] = [];
        for (let number = 1; number <= 3; number++) parts.push(await upload.uploadPart(number, new Uint8Array(1024)));
        await expectR2Error(() => upload.complete(parts), `completeMultipartUpload: ${TOO_LARGE}`);
        expect(await t.bucket.head("big")).toBeNull();
        expect((await upload.complete(parts.slice(0, 2))).size).toBe(2048);
      });

      it("checks a put in the service's order: key, then size, then metadata, then hash", async () => {
        const metadata = { k: "v".repeat(3000) };
        const wrongMd5 = "0".repeat(32);
        await expectR2Error(() => t.bucket.put(LONG_KEY, hugeStream(MAX_UPLOAD + 1).stream, { customMetadata: metadata, md5: wrongMd5 }), `put: ${INVALID_NAME}`);
        await expectR2Error(() => t.bucket.put("key", hugeStream(MAX_UPLOAD + 1).stream, { customMetadata: metadata, md5: wrongMd5 }), `put: ${TOO_LARGE}`);
        await expectR2Error(() => t.bucket.put("key", "v", { customMetadata: metadata, md5: wrongMd5 }), `put: ${METADATA_TOO_LARGE}`);
        await expect(t.bucket.put("key", "v", { md5: wrongMd5 })).rejects.toThrow("(10037)");
      });

      it("rejects deleting more than 1000 keys at once, before deleting anything", async () => {
        await t.bucket.put("keep", "v");
        const keys = Array.from({ length: 1001 }, (_, index) => `k${index}`);
        await expectR2Error(() => t.bucket.delete(["keep", ...keys.slice(1)]), "delete: Up to 1000 keys may be deleted per call; 1001 were given.");
        expect(await bodyText(await t.bucket.get("keep"))).toBe("v");
        await t.bucket.delete(["keep", ...keys.slice(2)]);
        expect(await t.bucket.head("keep")).toBeNull();
      });

      it("accepts list limits 1 to 1000 (1.5 is 1, -1 is ignored) and rejects others with 10022", async () => {
        for (const key of ["a", "b", "c"]) await t.bucket.put(key, key);
        for (const limit of [0, 1001, -2]) {
          await expectR2Error(() => t.bucket.list({ limit }), "list: MaxKeys params must be positive integer <= 1000. (10022)");
        }
        expect((await t.bucket.list({ limit: 1.5 })).objects).toHaveLength(1);
        expect((await t.bucket.list({ limit: -1 })).objects).toHaveLength(3);
        expect((await t.bucket.list({ limit: 1000 })).objects).toHaveLength(3);
      });

      it("rejects include values other than httpMetadata and customMetadata with a RangeError", async () => {
        await expectThrown(() => t.bucket.list({ include: ["httpMetadata", "size"] }), RangeError, "Unsupported include value size");
      });

      it("rejects part numbers outside 1-10000 with the runtime's TypeError", async () => {
        const upload = await t.bucket.createMultipartUpload("parts");
        for (const partNumber of [0, 10001, -1]) {
          await expectThrown(
            () => upload.uploadPart(partNumber, "v"),
            TypeError,
            `Part number must be between 1 and 10000 (inclusive). Actual value was: ${partNumber}`,
          );
        }
        await expectThrown(
          () => upload.complete([{ partNumber: 0, etag: "x" }]),
          TypeError,
          "Part number must be between 1 and 10000 (inclusive). Actual value was: 0",
        );
        expect((await upload.uploadPart(10000, "last")).partNumber).toBe(10000);
      });
    });
  });
}
