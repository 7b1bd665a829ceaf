import type { WriteTurn } from "@cellar/blob-store";
import type { BucketStore } from "./bucket-store.js";
import { verifyChecksum, type ExpectedChecksum } from "./checksums.js";
import { conditionHolds, type Conditional } from "./conditional.js";
import type { StoredHttpMetadata } from "./http-metadata.js";
import type { ObjectRecord } from "./objects-table.js";
import type { SizedBody } from "./put-body.js";
import { newVersion } from "./random-ids.js";

/** A `put`, checked by the binding and the service's up-front checks. */
export interface PutRequest {
  readonly key: string;
  readonly body: SizedBody;
  readonly httpMetadata: StoredHttpMetadata;
  readonly customMetadata: Record<string, string>;
  readonly checksum: ExpectedChecksum | undefined;
  readonly condition: Conditional | undefined;
  readonly storageClass: string;
}

/**
 * Stores an object (spec r2.md §3, §4): streams the body into a new blob computing its MD5 (the
 * etag) and the hash to verify, verifies it (10037), then in one transaction evaluates the
 * precondition against the stored object and replaces it. Replacing a multipart object
 * unlinks and deletes its parts.
 *
 * @returns the new row, or `null` when the precondition failed (nothing is stored)
 */
export async function putObject(store: BucketStore, request: PutRequest): Promise<ObjectRecord | null> {
  // Taken now, synchronously, so that puts to one key commit in the order they were called.
  const turn = store.order.enter(request.key);
  try {
    return await storeAndCommit(store, request, turn);
  } finally {
    turn.release();
  }
}

async function storeAndCommit(store: BucketStore, request: PutRequest, turn: WriteTurn): Promise<ObjectRecord | null> {
  const { key, checksum, condition } = request;
  const verifyWith = checksum !== undefined && checksum.algorithm.node !== "md5" ? [checksum.algorithm.node] : [];
  const { blobId, digests } = await store.storeBlob(key, request.body, ["md5", ...verifyWith]);
  const md5 = digests[0]!.toString("hex");
  const checksums: Record<string, string> = {};
  if (checksum !== undefined) {
    const actual = verifyWith.length === 0 ? md5 : digests[1]!.toString("hex");
    try {
      verifyChecksum(checksum, actual);
    } catch (error) {
      store.discard(blobId, "its checksum did not match");
      throw error;
    }
    checksums[checksum.algorithm.field] = actual;
  }
  const record: ObjectRecord = {
    key,
    blob_id: blobId,
    version: newVersion(),
    size: request.body.length,
    etag: md5,
    uploaded: store.now(),
    checksums: JSON.stringify(checksums),
    http_metadata: JSON.stringify(request.httpMetadata),
    custom_metadata: JSON.stringify(request.customMetadata),
    storage_class: request.storageClass,
  };
  return store.commit(
    [blobId],
    () => {
      const previous = store.objects.get(key);
      if (condition !== undefined && !conditionHolds(condition, previous)) {
        return { result: null, obsolete: [blobId], reason: "its put's precondition failed" };
      }
      store.objects.upsert(record, record.storage_class);
      let obsolete: string[] = [];
      if (previous !== undefined) obsolete = previous.blob_id === null ? store.objects.deleteLinkedParts(key) : [previous.blob_id];
      return { result: record, obsolete, reason: "it was overwritten" };
    },
    [turn],
  );
}

/**
 * Deletes objects in one transaction (spec r2.md §3): missing keys are ignored; a multipart
 * object's part rows go with it; the blobs are deleted once the deletion is durable.
 */
export async function deleteObjects(store: BucketStore, keys: readonly string[]): Promise<void> {
  const unique = [...new Set(keys)];
  const turns = unique.map((key) => store.order.enter(key));
  await store.commit(
    [],
    () => ({ result: undefined, obsolete: unique.flatMap((key) => store.objects.delete(key)), reason: "its object was deleted" }),
    turns,
  );
}
