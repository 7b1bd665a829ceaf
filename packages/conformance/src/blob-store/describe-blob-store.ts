import type { DescribeBlobStoreOptions } from "./blob-store-fixture.js";
import { describeBlobStoreConcurrency } from "./concurrency.js";
import { describeBlobStoreDelete } from "./delete.js";
import { describeBlobStoreFailedWrites } from "./failed-writes.js";
import { describeBlobStoreIds } from "./ids.js";
import { describeBlobStoreInvalidInput } from "./invalid-input.js";
import { describeBlobStoreLifecycle } from "./lifecycle.js";
import { describeBlobStoreMultipleRanges } from "./multiple-ranges.js";
import { describeBlobStorePersistence } from "./persistence.js";
import { describeBlobStorePutGet } from "./put-get.js";
import { describeBlobStoreRanges } from "./ranges.js";
import { describeBlobStoreSweep } from "./sweep.js";

/** Every group, in the order a failing backend is best debugged. */
export const blobStoreSuiteGroups = [
  describeBlobStoreLifecycle,
  describeBlobStorePutGet,
  describeBlobStoreIds,
  describeBlobStoreRanges,
  describeBlobStoreMultipleRanges,
  describeBlobStoreDelete,
  describeBlobStoreSweep,
  describeBlobStoreInvalidInput,
  describeBlobStoreFailedWrites,
  describeBlobStorePersistence,
  describeBlobStoreConcurrency,
] as const;

/**
 * Registers the whole blob store conformance suite: every group, each test on a fresh fixture.
 * Call it at the top level of a vitest test file. Tests of capabilities the store does not
 * declare are skipped and named (e.g. `[persistent]`), never passed.
 */
export function describeBlobStore(options: DescribeBlobStoreOptions): void {
  for (const describeGroup of blobStoreSuiteGroups) describeGroup(options);
}
