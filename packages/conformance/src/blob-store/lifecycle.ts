import { describe, expect, it } from "vitest";
import { createBlobId } from "@cellar/blob-store";
import type { DescribeBlobStoreOptions } from "./blob-store-fixture.js";
import { useBlobStoreTestContext } from "./blob-store-test-context.js";
import { expectRejectionCode } from "./expect-rejection.js";

/** The declared capabilities, and `close`. */
export function describeBlobStoreLifecycle(options: DescribeBlobStoreOptions): void {
  describe(options.name, () => {
    describe("lifecycle", () => {
      const t = useBlobStoreTestContext(options);

      it("declares the capabilities it was described with", () => {
        expect({ ...t.store.capabilities }).toEqual({ ...options.capabilities });
      });

      it("rejects every call after close with ERR_BLOB_STORE_CLOSED", async () => {
        const id = await t.store.put("before close");
        await t.store.close();
        const missing = createBlobId({ now: t.clock.now() });
        const calls: [string, () => Promise<unknown>][] = [
          ["put", () => t.store.put("after close")],
          ["put stream", () => t.store.put(new ReadableStream())],
          ["get", () => t.store.get(id)],
          ["get missing", () => t.store.get(missing)],
          ["getBytes", () => t.store.getBytes(id)],
          ["getRanges", () => t.store.getRanges(id, [{ start: 0, end: 0 }])],
          ["stat", () => t.store.stat(id)],
          ["delete", () => t.store.delete(id)],
          ["sweep", () => t.store.sweep({ olderThan: Number.MAX_SAFE_INTEGER, isReferenced: () => false })],
        ];
        for (const [label, call] of calls) await expectRejectionCode(call, "ERR_BLOB_STORE_CLOSED", label);
      });

      it("closes idempotently", async () => {
        await t.store.close();
        await expect(t.store.close()).resolves.toBeUndefined();
      });
    });
  });
}
