/** Largest chunk `createBytesStream` enqueues by default. */
export const DEFAULT_BYTES_STREAM_CHUNK_SIZE = 64 * 1024;

/**
 * Streams `bytes` as fresh copies of at most `chunkSize` bytes, produced only as the reader
 * pulls. A reader may keep or mutate every chunk without touching `bytes`, and a slow reader
 * costs one chunk of extra memory, not a copy of the whole blob.
 */
export function createBytesStream(bytes: Uint8Array, chunkSize = DEFAULT_BYTES_STREAM_CHUNK_SIZE): ReadableStream<Uint8Array> {
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1) {
    throw new RangeError(`chunkSize must be a positive integer, got ${chunkSize}`);
  }
  let offset = 0;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (offset >= bytes.byteLength) {
          controller.close();
          return;
        }
        const end = Math.min(offset + chunkSize, bytes.byteLength);
        controller.enqueue(bytes.slice(offset, end));
        offset = end;
        if (offset >= bytes.byteLength) controller.close();
      },
    },
    // Nothing is copied before the first read.
    { highWaterMark: 0 },
  );
}
