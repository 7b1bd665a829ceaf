import { describe, expect, it } from "vitest";
import { createBlobId } from "@cellar/blob-store";
import type { DescribeBlobStoreOptions } from "./blob-store-fixture.js";
import { useBlobStoreTestContext } from "./blob-store-test-context.js";
import { expectStoredBlobs } from "./expect-stored-blobs.js";
import { expectBlobBytes } from "./expect-blob-bytes.js";
import { patternBytes } from "./test-bytes.js";

/** `delete`: removal, idempotence, isolation. */
export function describeBlobStoreDelete(options: DescribeBlobStoreOptions): void {
  describe(options.name, () => {
    describe("delete", () => {
      const t = useBlobStoreTestContext(options);

      it("deletes a blob: every read of it is null", async () => {
        const id = await t.store.put(patternBytes(100), { userId: "gone.txt" });
        await t.store.delete(id);
        expect(await t.store.get(id)).toBeNull();
        expect(await t.store.getBytes(id)).toBeNull();
        expect(await t.store.stat(id)).toBeNull();
        expect(await t.store.getRanges(id, [{ start: 0, end: 0 }])).toBeNull();
        const rawBlob = t.fixture.inspect?.rawBlob;
        if (rawBlob) expect(await rawBlob(id)).toBeNull();
      });

      it("is idempotent: deleting a deleted or never-stored blob resolves", async () => {
        const id = await t.store.put("x");
        await t.store.delete(id);
        await expect(t.store.delete(id)).resolves.toBeUndefined();
        await expect(t.store.delete(createBlobId({ now: t.clock.now() }))).resolves.toBeUndefined();
        await expect(t.store.delete("legacy-blob-without-time")).resolves.toBeUndefined();
      });

      it("leaves other blobs alone", async (test) => {
        const keep = await t.store.put(patternBytes(500, 1));
        const drop = await t.store.put(patternBytes(500, 2));
        const alsoKeep = await t.store.put(patternBytes(500, 3), { userId: "other" });
        await t.store.delete(drop);
        await expectBlobBytes(t.store, keep, patternBytes(500, 1));
        await expectBlobBytes(t.store, alsoKeep, patternBytes(500, 3));
        await expectStoredBlobs(t, test, [keep, alsoKeep]);
      });
    });
  });
}
