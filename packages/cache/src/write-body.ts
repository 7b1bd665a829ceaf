import type { BlobStore } from "@cellar/blob-store";
import { SMALL_BODY_BYTES, type ResponseBody } from "./response-body.js";

/** What {@link writeBody} needs. */
export interface WriteBodyOptions {
  readonly blobs: BlobStore;
  /** The cache key, encoded into the blob id so a person can find the body on disk. */
  readonly key: string;
  readonly body: ResponseBody;
  /** The response's `Content-Length`: a count, `undefined` when absent, `null` when malformed. */
  readonly declaredLength: number | null | undefined;
  readonly maxObjectSize: number;
  /** Deletes a blob that was written but must not be kept. */
  readonly discard: (blobId: string) => void;
}

/**
 * Streams a response body into a new blob; resolves with its id and length, or `undefined` when
 * it must not be stored: longer than `maxObjectSize` (C4), or disagreeing with its
 * `Content-Length` (C5) — the length stored is always the bytes actually read. Either way the
 * body is read to its end. Small bodies are buffered whole (the blob store's fast path); larger
 * ones stream, so memory stays flat for any size.
 */
export async function writeBody(options: WriteBodyOptions): Promise<{ blobId: string; size: number } | undefined> {
  const { blobs, body, declaredLength, maxObjectSize } = options;
  const userId = isWellFormed(options.key) ? options.key : undefined;
  if (declaredLength === null || (declaredLength !== undefined && declaredLength > maxObjectSize)) {
    await body.drain();
    return undefined;
  }
  const small = await body.readUpTo(SMALL_BODY_BYTES);
  if (small !== undefined) {
    const size = small.byteLength;
    if (size > maxObjectSize || (declaredLength !== undefined && size !== declaredLength)) return undefined;
    return { blobId: await blobs.put(small, { userId }), size };
  }
  let blobId: string;
  try {
    blobId = await blobs.put(body.stream(), { userId, maxSize: maxObjectSize });
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code !== "ERR_BLOB_TOO_LARGE") throw error;
    await body.drain();
    return undefined;
  }
  const size = body.bytesRead;
  // A store that ignores `maxSize` must not get an over-limit body past us.
  if (size > maxObjectSize || (declaredLength !== undefined && size !== declaredLength)) {
    options.discard(blobId);
    return undefined;
  }
  return { blobId, size };
}

/** Keys with lone surrogates (possible with `cf.cacheKey`) cannot be encoded into a blob id; their blobs get none. */
function isWellFormed(key: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(key);
}
