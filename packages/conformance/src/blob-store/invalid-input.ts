import { describe, expect, it } from "vitest";
import type { BlobBody, BlobId } from "@cellar/blob-store";
import type { DescribeBlobStoreOptions } from "./blob-store-fixture.js";
import { useBlobStoreTestContext } from "./blob-store-test-context.js";
import { expectRejectionCode, expectTypeError } from "./expect-rejection.js";
import { expectStoredBlobs } from "./expect-stored-blobs.js";
import { expectBlobBytes } from "./expect-blob-bytes.js";
import { patternBytes } from "./test-bytes.js";
import { probedStream } from "./test-streams.js";

/** Ids no store can ever have issued: path tricks, bad characters, wrong types. */
export const INVALID_BLOB_IDS: readonly unknown[] = [
  "../x",
  "..\\x",
  "a/b",
  "a\\b",
  "/etc/passwd",
  "C:\\x",
  "a\u0000b",
  "",
  ".",
  "..",
  ".hidden",
  ".partial-0000",
  "a b",
  "a%2fb",
  "a?b",
  "a#b",
  "é",
  "x".repeat(10_000),
  "x".repeat(256),
  "\ud800",
  42,
  null,
  undefined,
  {},
  ["a"],
];

/** Bad ids, bad user ids and bad bodies: clear errors, nothing changed. */
export function describeBlobStoreInvalidInput(options: DescribeBlobStoreOptions): void {
  describe(options.name, () => {
    describe("invalid input", () => {
      const t = useBlobStoreTestContext(options);

      it("rejects invalid ids in every method with ERR_INVALID_BLOB_ID and changes nothing", async (test) => {
        const existing = await t.store.put(patternBytes(100), { userId: "x" });
        for (const value of INVALID_BLOB_IDS) {
          const id = value as BlobId;
          const label = typeof value === "string" ? JSON.stringify(value.slice(0, 30)) : String(value);
          await expectRejectionCode(() => t.store.get(id), "ERR_INVALID_BLOB_ID", `get ${label}`);
          await expectRejectionCode(() => t.store.get(id, { start: 0, end: 0 }), "ERR_INVALID_BLOB_ID", `get range ${label}`);
          await expectRejectionCode(() => t.store.getBytes(id), "ERR_INVALID_BLOB_ID", `getBytes ${label}`);
          await expectRejectionCode(() => t.store.stat(id), "ERR_INVALID_BLOB_ID", `stat ${label}`);
          await expectRejectionCode(() => t.store.delete(id), "ERR_INVALID_BLOB_ID", `delete ${label}`);
          await expectRejectionCode(() => t.store.getRanges(id, [{ start: 0, end: 0 }]), "ERR_INVALID_BLOB_ID", `getRanges ${label}`);
        }
        await expectBlobBytes(t.store, existing, patternBytes(100));
        await expectStoredBlobs(t, test, [existing]);
      });

      it("rejects a user id holding a lone surrogate with ERR_INVALID_USER_ID and stores nothing", async (test) => {
        for (const userId of ["\ud800", "abc\udfff", "\udc00\ud800"]) {
          await expectRejectionCode(() => t.store.put("value", { userId }), "ERR_INVALID_USER_ID", JSON.stringify(userId));
        }
        const { stream, probe } = probedStream([patternBytes(10)]);
        await expectRejectionCode(() => t.store.put(stream, { userId: "\ud83d" }), "ERR_INVALID_USER_ID", "stream body");
        expect(probe.pulls, "a stream body is not read for an invalid user id").toBeLessThanOrEqual(1);
        await expectStoredBlobs(t, test, []);
      });

      it("rejects a user id that is not a string with ERR_INVALID_USER_ID", async (test) => {
        for (const userId of [42, {}, null]) {
          await expectRejectionCode(
            () => t.store.put("value", { userId: userId as unknown as string }),
            "ERR_INVALID_USER_ID",
            String(userId),
          );
        }
        await expectStoredBlobs(t, test, []);
      });

      it("rejects a body of an unsupported type with a TypeError and stores nothing", async (test) => {
        for (const body of [42, null, undefined, {}, [1, 2, 3], true]) {
          await expectTypeError(() => t.store.put(body as unknown as BlobBody), String(body));
        }
        await expectStoredBlobs(t, test, []);
      });
    });
  });
}
