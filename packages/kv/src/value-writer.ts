import type { BlobStore } from "@cellar/blob-store";
import { CountingSource } from "./counting-source.js";
import { kvServiceError } from "./kv-errors.js";
import type { PutValue } from "./put-value.js";

/** Blobs up to this size are read into memory and written in one call, the blob store's fast path. */
const SMALL_BLOB_BYTES = 64 * 1024;

/**
 * Writes a `put` value into a new blob named after its key (the store's `userId`, so a person can
 * find it on disk) and resolves with the blob id. An over-limit value is rejected with its real
 * length, as the service does, and leaves nothing behind:
 *
 * - bytes and `Blob`s are checked by their size before anything is written (a `Blob` too large
 *   is never read);
 * - a stream goes to the store with `maxSize`; when the store gives up at the limit, the rest of
 *   the stream is read only to be counted for the message.
 *
 * @param discard deletes a blob the store wrote although it was over the limit
 */
export async function writeValue(
  blobs: BlobStore,
  key: string,
  value: PutValue,
  maxValueSize: number,
  discard: (blobId: string) => void,
): Promise<string> {
  if (value.kind === "bytes") {
    if (value.bytes.byteLength > maxValueSize) throw valueTooLarge(value.bytes.byteLength, maxValueSize);
    return blobs.put(value.bytes, { userId: key });
  }
  if (value.kind === "blob") {
    const { size } = value.blob;
    if (size > maxValueSize) throw valueTooLarge(size, maxValueSize);
    if (size <= SMALL_BLOB_BYTES) return blobs.put(new Uint8Array(await value.blob.arrayBuffer()), { userId: key });
    return writeStream(blobs, key, value.blob.stream(), maxValueSize, discard);
  }
  return writeStream(blobs, key, value.stream, maxValueSize, discard);
}

async function writeStream(
  blobs: BlobStore,
  key: string,
  stream: ReadableStream<unknown>,
  maxValueSize: number,
  discard: (blobId: string) => void,
): Promise<string> {
  const source = new CountingSource(stream);
  let blobId: string;
  try {
    blobId = await blobs.put(source.stream, { userId: key, maxSize: maxValueSize });
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code === "ERR_BLOB_TOO_LARGE") {
      throw valueTooLarge(await source.drain(), maxValueSize);
    }
    source.cancel(error);
    throw error;
  }
  // A store that ignores `maxSize` must not get an over-limit value past us.
  if (source.bytesRead > maxValueSize) {
    discard(blobId);
    throw valueTooLarge(source.bytesRead, maxValueSize);
  }
  return blobId;
}

function valueTooLarge(length: number, maxValueSize: number): Error {
  return kvServiceError("PUT", 413, `Value length of ${length} exceeds limit of ${maxValueSize}.`);
}
