import type { BucketStore } from "./bucket-store.js";
import { conditionHolds, type Conditional } from "./conditional.js";
import { multipartBody, partReads } from "./multipart-body.js";
import type { ObjectRecord } from "./objects-table.js";
import { R2IntegrityError } from "./r2-errors.js";
import type { R2Range } from "./r2-types.js";
import { resolveRange, servedRange, type RangeRequest } from "./range-options.js";

/** An object's bytes: a stream, or (for a small single-part object) bytes read in one call. */
export type BodySource = { readonly stream: ReadableStream<Uint8Array> } | { readonly bytes: Uint8Array };

/** What `get` found. */
export type OpenedObject =
  | { readonly kind: "missing" }
  /** The precondition failed: the object without its body. */
  | { readonly kind: "precondition-failed"; readonly record: ObjectRecord; readonly range: R2Range }
  | { readonly kind: "body"; readonly record: ObjectRecord; readonly range: R2Range; readonly body: BodySource };

/** A concurrent writer in another process can delete a blob between our reads of its row and of it; retry this often. */
const MAX_READ_ATTEMPTS = 10;
/**
 * Bodies up to this size are read with one `getBytes` call when the store declares
 * `fastSmallBlobs`: for small objects, stream machinery costs more than the read.
 */
const SMALL_BODY_MAX = 64 * 1024;

/**
 * Opens an object for `get`, in the service's order: a missing key is `missing` (whatever the
 * precondition or range), then the precondition, then the range (10039 when unsatisfiable).
 *
 * Blobs are leased in the same tick as the row is read, so a write committed meanwhile cannot
 * delete them before they are open. A single-part object opens its blob now (a small one is
 * read at once); a multipart object opens its overlapping parts one at a time as the body is
 * read.
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
      return { kind: "body", record, range: served, body: { stream: body } };
    }
    const blobId = record.blob_id;
    store.reclaimer.lease([blobId]);
    let body: BodySource | undefined;
    try {
      if (store.blobs.capabilities.fastSmallBlobs && served.length <= SMALL_BODY_MAX) {
        const bytes = await store.blobs.getBytes(blobId, range);
        if (bytes !== null) body = { bytes };
      } else {
        const stream = await store.blobs.get(blobId, range);
        if (stream !== null) body = { stream };
      }
    } finally {
      store.reclaimer.release(blobId);
    }
    if (body !== undefined) return { kind: "body", record, range: served, body };
    // Gone: another process replaced the object (read the row again), or the store lost it.
    if (store.objects.get(key)?.blob_id === blobId || attempt >= MAX_READ_ATTEMPTS) {
      throw new R2IntegrityError(store.name, key, blobId);
    }
  }
}
