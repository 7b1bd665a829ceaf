import type { BucketStore } from "./bucket-store.js";
import { checkCompletedParts, type SelectedPart } from "./complete-checks.js";
import type { StoredHttpMetadata } from "./http-metadata.js";
import type { UploadRecord } from "./multipart-tables.js";
import type { ObjectRecord } from "./objects-table.js";
import type { SizedBody } from "./put-body.js";
import { r2Error, type R2Operation } from "./r2-errors.js";
import { UploadState } from "./r2-schema.js";
import { multipartEtag, newUploadId, newVersion } from "./random-ids.js";

/** Records a new upload (with its creation time and storage class); resolves with its id. */
export async function createUpload(
  store: BucketStore,
  key: string,
  httpMetadata: StoredHttpMetadata,
  customMetadata: Record<string, string>,
  storageClass: string,
): Promise<string> {
  const uploadId = newUploadId();
  return store.commit([], () => {
    store.multipart.create(uploadId, key, JSON.stringify(httpMetadata), JSON.stringify(customMetadata), storageClass, store.now());
    return { result: uploadId, obsolete: [], reason: "" };
  });
}

/**
 * Stores one part (spec r2.md §3): checks the upload is in progress (10024, also for a wrong key
 * or an expired upload) before reading the body, streams the body into a new blob computing its
 * MD5, then records it, replacing a part with the same number (whose blob is deleted). The etag
 * is the part's MD5 (spec R3).
 *
 * @returns the part's etag
 */
export async function uploadPart(store: BucketStore, key: string, uploadId: string, partNumber: number, body: SizedBody): Promise<string> {
  const upload = store.multipart.upload(uploadId, key);
  if (!isActive(upload, store)) throw r2Error("uploadPart", "noSuchUpload");
  const { blobId, digests } = await store.storeBlob(key, body, ["md5"]);
  const md5 = digests[0]!.toString("hex");
  const expired = await store.commit([blobId], () => {
    const current = activeUpload(store, "uploadPart", uploadId, key);
    if (current === "expired") return { result: true, obsolete: [...abortInTransaction(store, uploadId), blobId], reason: "its upload expired" };
    const previous = store.multipart.partBlobId(uploadId, partNumber);
    store.multipart.putPart({ upload_id: uploadId, part_number: partNumber, blob_id: blobId, size: body.length, etag: md5, checksum_md5: md5 });
    return { result: false, obsolete: previous === undefined ? [] : [previous], reason: "its part was uploaded again" };
  });
  if (expired) throw r2Error("uploadPart", "noSuchUpload");
  return md5;
}

/**
 * Completes an upload (spec r2.md §3) in one transaction, copying no bytes: checks the upload
 * (10024) and the parts (see `checkCompletedParts`), then writes an object row with no blob whose
 * size is the parts' total and whose etag is `<md5 of the part MD5s>-<count>`, links the chosen
 * parts to it, deletes the upload's other parts and the key's previous object, and marks the
 * upload completed.
 */
export async function completeUpload(store: BucketStore, key: string, uploadId: string, selected: readonly SelectedPart[]): Promise<ObjectRecord> {
  // A complete writes its key like a put: in call order with the key's other writes.
  const turn = store.order.enter(key);
  const record = await store.commit([], () => {
    const upload = activeUpload(store, "completeMultipartUpload", uploadId, key);
    if (upload === "expired") return { result: undefined, obsolete: abortInTransaction(store, uploadId), reason: "its upload expired" };
    const parts = checkCompletedParts(selected, store.multipart.parts(uploadId), store.limits);
    const previous = store.objects.get(key);
    // Before linking the new parts: the previous object's parts are linked to the same key.
    const obsolete = previous === undefined ? [] : previous.blob_id === null ? store.objects.deleteLinkedParts(key) : [previous.blob_id];
    const completed: ObjectRecord = {
      key,
      blob_id: null,
      version: newVersion(),
      size: parts.reduce((sum, part) => sum + part.size, 0),
      etag: multipartEtag(parts.map((part) => part.checksum_md5)),
      uploaded: store.now(),
      checksums: "{}",
      http_metadata: upload.http_metadata,
      custom_metadata: upload.custom_metadata,
      storage_class: upload.storage_class,
    };
    store.objects.upsert(completed, completed.storage_class);
    for (const part of parts) store.multipart.linkPart(uploadId, part.part_number, key);
    obsolete.push(...store.multipart.deleteUnlinkedParts(uploadId));
    store.multipart.finish(uploadId, UploadState.completed);
    return { result: completed, obsolete, reason: "it was overwritten or left out of a completed upload" };
  }, [turn]);
  if (record === undefined) throw r2Error("completeMultipartUpload", "noSuchUpload");
  return record;
}

/**
 * Aborts an upload, deleting its parts. An unknown upload is 10024 (spec R6); aborting a
 * completed or aborted upload does nothing.
 */
export async function abortUpload(store: BucketStore, key: string, uploadId: string): Promise<void> {
  await store.commit([], () => {
    const upload = store.multipart.upload(uploadId, key);
    if (upload === undefined) throw r2Error("abortMultipartUpload", "noSuchUpload");
    if (upload.state !== UploadState.inProgress) return { result: undefined, obsolete: [], reason: "" };
    return { result: undefined, obsolete: abortInTransaction(store, uploadId), reason: "its upload was aborted" };
  });
}

/**
 * Aborts every in-progress upload created at least `olderThanMs` ago (spec R5), deleting its
 * parts; uploads cellar has no record of (started by `wrangler dev`) start their clock now.
 * Resolves with how many were aborted.
 */
export async function expireUploads(store: BucketStore, olderThanMs: number): Promise<number> {
  const now = store.now();
  return store.commit([], () => {
    let expired = 0;
    const obsolete: string[] = [];
    for (const { upload_id: uploadId, created } of store.multipart.inProgress()) {
      if (created === null) store.multipart.recordCreated(uploadId, now);
      if ((created ?? now) + olderThanMs > now) continue;
      obsolete.push(...abortInTransaction(store, uploadId));
      expired += 1;
    }
    return { result: expired, obsolete, reason: "its upload expired" };
  });
}

/** Whether an upload exists, is in progress and has not expired (a read-only check). */
function isActive(upload: UploadRecord | undefined, store: BucketStore): boolean {
  return upload !== undefined && upload.state === UploadState.inProgress && !hasExpired(upload, store);
}

function hasExpired(upload: UploadRecord, store: BucketStore): boolean {
  return upload.created !== null && upload.created + store.limits.uploadExpiryMs <= store.now();
}

/**
 * Inside a write transaction: the upload if it is in progress, `"expired"` if it has outlived
 * the expiry (the caller aborts it), starting the expiry clock of an upload not seen before.
 *
 * @throws {Error} `<op>: The specified multipart upload does not exist. (10024)`
 */
function activeUpload(store: BucketStore, operation: R2Operation, uploadId: string, key: string): UploadRecord | "expired" {
  const upload = store.multipart.upload(uploadId, key);
  if (upload === undefined || upload.state !== UploadState.inProgress) throw r2Error(operation, "noSuchUpload");
  if (hasExpired(upload, store)) return "expired";
  if (upload.created === null) store.multipart.recordCreated(uploadId, store.now(), upload.storage_class);
  return upload;
}

/** Inside a write transaction: deletes an upload's parts and marks it aborted; returns the parts' blobs. */
function abortInTransaction(store: BucketStore, uploadId: string): string[] {
  const blobIds = store.multipart.deleteUnlinkedParts(uploadId);
  store.multipart.finish(uploadId, UploadState.aborted);
  return blobIds;
}
