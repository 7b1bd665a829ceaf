import type { BlobStore, ByteRange } from "@cellar/blob-store";
import type { BlobReclaimer } from "./blob-reclaimer.js";
import type { PartSlice } from "./objects-table.js";

/** The bytes of one part a read needs: its blob and the inclusive range inside it. */
export interface PartRead {
  readonly blobId: string;
  readonly range: ByteRange;
}

/**
 * The part reads that serve `range` (or the whole object) of a multipart object: parts are laid
 * end to end in part-number order, and only those overlapping the range are read, each cut to
 * the slice needed, so reads across part boundaries are exact and nothing else is touched.
 */
export function partReads(parts: readonly PartSlice[], range: ByteRange | undefined): PartRead[] {
  const reads: PartRead[] = [];
  let offset = 0;
  for (const part of parts) {
    const first = offset;
    const last = offset + part.size - 1;
    offset += part.size;
    if (part.size === 0) continue;
    const start = Math.max(first, range?.start ?? first);
    const end = Math.min(last, range?.end ?? last);
    if (start > end) continue;
    reads.push({ blobId: part.blob_id, range: { start: start - first, end: end - first } });
  }
  return reads;
}

/**
 * Streams a multipart object's bytes from its parts, opening one part at a time as the body
 * is consumed, so any number of parts costs one open blob and flat memory; no byte is ever
 * copied into a combined blob.
 *
 * The caller has leased every part's blob (in the tick it read the rows); each lease is
 * released once its part is open (an open part stream keeps its bytes), and all remaining
 * leases when the body ends early (cancel or error).
 *
 * @param missing builds the error for a part whose blob is gone
 */
export function multipartBody(
  blobs: BlobStore,
  reclaimer: BlobReclaimer,
  reads: readonly PartRead[],
  missing: (blobId: string) => Error,
): ReadableStream<Uint8Array> {
  let next = 0;
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;

  const releaseRemaining = (): void => {
    while (next < reads.length) reclaimer.release(reads[next++]!.blobId);
  };

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          for (;;) {
            if (reader === undefined) {
              const read = reads[next];
              if (read === undefined) {
                controller.close();
                return;
              }
              let stream: ReadableStream<Uint8Array> | null;
              try {
                stream = await blobs.get(read.blobId, read.range);
              } finally {
                next += 1;
                reclaimer.release(read.blobId);
              }
              if (stream === null) throw missing(read.blobId);
              reader = stream.getReader();
            }
            const result = await reader.read();
            if (result.done) {
              reader = undefined;
              continue;
            }
            controller.enqueue(result.value);
            return;
          }
        } catch (error) {
          releaseRemaining();
          reader?.cancel(error).catch(() => {});
          reader = undefined;
          throw error;
        }
      },
      async cancel(reason) {
        releaseRemaining();
        const current = reader;
        reader = undefined;
        await current?.cancel(reason);
      },
    },
    // Nothing is opened until the body is read.
    { highWaterMark: 0 },
  );
}
