import { expect, type TestContext } from "vitest";
import type { BlobId } from "@cellar/blob-store";
import type { BlobStoreTestContext } from "./blob-store-test-context.js";

/**
 * Expects the store to hold exactly the blobs `ids` and nothing else: no blob from a failed
 * `put`, no leftover partial write. It checks by every means the store offers:
 * - `inspect.countEntries`, which reads the backing storage directly;
 * - with the `sweep` capability, a sweep that deletes no blob (`isReferenced` answers `true`)
 *   but lists every blob it is asked about, and must find no partial write.
 * A store with neither is reported as skipped, not passed: the claim cannot be checked.
 */
export async function expectStoredBlobs(t: BlobStoreTestContext, test: TestContext, ids: readonly BlobId[]): Promise<void> {
  const countEntries = t.fixture.inspect?.countEntries;
  const canSweep = t.options.capabilities.sweep;
  if (!countEntries && !canSweep) {
    test.skip("checking what is stored needs inspect.countEntries or the sweep capability");
  }
  if (countEntries) {
    expect(await countEntries(), "entries in the backing storage").toBe(ids.length);
  }
  if (canSweep) {
    const seen: BlobId[] = [];
    const result = await t.store.sweep({
      olderThan: Number.MAX_SAFE_INTEGER,
      isReferenced: (id) => {
        seen.push(id);
        return true;
      },
    });
    expect([...seen].sort(), "blobs the store holds (as listed by sweep)").toEqual([...ids].sort());
    expect(result, "a sweep that keeps every blob").toEqual({ deletedBlobs: 0, deletedPartials: 0, freedBytes: 0 });
  }
}
