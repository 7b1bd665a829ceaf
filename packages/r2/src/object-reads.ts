import type { BucketStore } from "./bucket-store.js";
import { conditionHolds, type Conditional } from "./conditional.js";
import { multipartBody, partReads } from "./multipart-body.js";
import type { ObjectRecord } from "./objects-table.js";
import { R2IntegrityError } from "./r2-errors.js";
import type { R2Range } from "./r2-types.js";
import { resolveRange, servedRange, type RangeRequest } from "./range-options.js";

/** What `get` found. */
export type OpenedObject =
  | { readonly kind: "missing" }
  /** The precondition failed: the object without its body. */
  | { readonly kind: "precondition-failed"; readonly record: ObjectRecord; readonly range: R2Range }
  | { readonly kind: "body"; readonly record: ObjectRecord; readonly range: R2Range; readonly body: ReadableStream<Uint8Array> };

/** A concurrent writer in another process can delete a blob between our reads of its row and of it; retry this often. */
const MAX_READ_ATTEMPTS = 10;

/**
 * Opens an object for `get`, in the service's order: a missing key is `missing` (whatever the
 * precondition or range), then the precondition, then the range (10039 when unsatisfiable).
 *
 * Blobs are leased in the same tick as the row is read, so a write committed meanwhile cannot
 * delete them before they are open. A single-part object opens its blob now; a multipart
 * object opens its overlapping parts one at a time as the body is read.
 *
 * @throws {R2IntegrityError} when the row's blob is missing from the blob store
 */
export async function openObject(
  store: BucketStore,
  key: string,
  condition: Conditional | undefined,
  rangeRequest: RangeRequest | undefined,
): Promise<OpenedObject> {
  for (let attempt = 1; ; attempt++) {
    const found = store.objects.getWithParts(key);
    if (found === undefined) return { kind: "missing" };
    const { record, parts } = found;
    if (condition !== undefined && !conditionHolds(condition, record)) {
      return { kind: "precondition-failed", record, range: servedRange(undefined, record.size) };
    }
    const range = resolveRange(rangeRequest, record.size);
    const served = servedRange(range, record.size);
    if (record.blob_id === null) {
      const total = parts.reduce((sum, part) => sum + part.size, 0);
      if (total !== record.size) {
        throw new Error(
          `R2 bucket ${JSON.stringify(store.name)} is inconsistent: the parts of ${JSON.stringify(key)} hold ${total} bytes, its row says ${record.size}`,
        );
      }
      const reads = partReads(parts, range);
      store.reclaimer.lease(reads.map((read) => read.blobId));
      const body = multipartBody(store.blobs, store.reclaimer, reads, (blobId) => new R2IntegrityError(store.name, key, blobId));
      return { kind: "body", record, range: served, body };
    }
    const blobId = record.blob_id;
    store.reclaimer.lease([blobId]);
    let body: ReadableStream<Uint8Array> | null;
    try {
      body = await store.blobs.get(blobId, range);
    } finally {
      store.reclaimer.release(blobId);
    }
    if (body !== null) return { kind: "body", record, range: served, body };
    // Gone: another process replaced the object (read the row again), or the store lost it.
    if (store.objects.get(key)?.blob_id === blobId || attempt >= MAX_READ_ATTEMPTS) {
      throw new R2IntegrityError(store.name, key, blobId);
    }
  }
}
