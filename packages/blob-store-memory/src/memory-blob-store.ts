import {
  BlobStoreClosedError,
  assertByteRangeShape,
  assertSweepOptions,
  assertValidBlobId,
  collectBytes,
  createBlobId,
  createBytesStream,
  createMultipartByteRanges,
  openBlobBody,
  parseBlobId,
  systemClock,
  validateByteRange,
  type BlobBody,
  type BlobId,
  type BlobPutOptions,
  type BlobStat,
  type BlobStore,
  type BlobStoreCapabilities,
  type ByteRange,
  type Clock,
  type MultipartByteRangesBody,
  type SweepOptions,
  type SweepResult,
} from "@cellar/blob-store";

/** Options of `createMemoryBlobStore`. */
export interface MemoryBlobStoreOptions {
  /** Creation times of new blobs come from here, so `sweep` can be tested without sleeping. Default: `Date.now`. */
  readonly clock?: Clock;
}

/** What the memory store can do. */
export const memoryBlobStoreCapabilities: BlobStoreCapabilities = Object.freeze({
  persistent: false,
  multiProcess: false,
  sweep: true,
  fastSmallBlobs: true,
  strictDurability: false,
});

interface StoredBlob {
  /** Owned by the store: never handed out, only copied. */
  readonly bytes: Uint8Array;
  readonly createdAt: number;
}

/**
 * A `BlobStore` that keeps blobs in a `Map`, for tests and for state that need not outlive the
 * process. It stores copies and hands out copies, so no caller can change a stored blob.
 */
export function createMemoryBlobStore(options: MemoryBlobStoreOptions = {}): BlobStore {
  const clock = options.clock ?? systemClock;
  const blobs = new Map<BlobId, StoredBlob>();
  let closed = false;

  function assertOpen(): void {
    if (closed) throw new BlobStoreClosedError();
  }

  /** Validates the id (and the range's shape) before looking anything up. */
  function lookUp(id: BlobId, range?: ByteRange): StoredBlob | undefined {
    assertOpen();
    assertValidBlobId(id);
    if (range !== undefined) assertByteRangeShape(range);
    const blob = blobs.get(id);
    if (blob && range !== undefined) validateByteRange(range, blob.bytes.byteLength);
    return blob;
  }

  function rangeOf(bytes: Uint8Array, range: ByteRange | undefined): Uint8Array {
    return range === undefined ? bytes : bytes.subarray(range.start, range.end + 1);
  }

  return {
    capabilities: memoryBlobStoreCapabilities,

    async put(body: BlobBody, putOptions: BlobPutOptions = {}): Promise<BlobId> {
      assertOpen();
      // Create the id first: an unencodable user id must fail before the body is read.
      const createdAt = clock.now();
      const id = createBlobId({ now: createdAt, userId: putOptions.userId });
      const source = openBlobBody(body, putOptions);
      const bytes = source.kind === "bytes" ? source.bytes.slice() : await collectBytes(source.chunks);
      assertOpen();
      blobs.set(id, { bytes, createdAt: parseBlobId(id).createdAt ?? createdAt });
      return id;
    },

    async get(id: BlobId, range?: ByteRange): Promise<ReadableStream<Uint8Array> | null> {
      const blob = lookUp(id, range);
      return blob ? createBytesStream(rangeOf(blob.bytes, range)) : null;
    },

    async getBytes(id: BlobId, range?: ByteRange): Promise<Uint8Array | null> {
      const blob = lookUp(id, range);
      return blob ? rangeOf(blob.bytes, range).slice() : null;
    },

    async getRanges(
      id: BlobId,
      ranges: readonly ByteRange[],
      rangeOptions: { contentType?: string; boundary?: string } = {},
    ): Promise<MultipartByteRangesBody | null> {
      assertOpen();
      assertValidBlobId(id);
      if (Array.isArray(ranges)) ranges.forEach(assertByteRangeShape);
      const blob = blobs.get(id);
      if (!blob) return null;
      return createMultipartByteRanges({
        ranges,
        size: blob.bytes.byteLength,
        contentType: rangeOptions.contentType,
        boundary: rangeOptions.boundary,
        readRange: async (range) => createBytesStream(rangeOf(blob.bytes, range)),
      });
    },

    async stat(id: BlobId): Promise<BlobStat | null> {
      const blob = lookUp(id);
      return blob ? { size: blob.bytes.byteLength, createdAt: blob.createdAt } : null;
    },

    async delete(id: BlobId): Promise<void> {
      assertOpen();
      assertValidBlobId(id);
      blobs.delete(id);
    },

    async sweep(sweepOptions: SweepOptions): Promise<SweepResult> {
      assertOpen();
      assertSweepOptions(sweepOptions);
      const { olderThan, isReferenced } = sweepOptions;
      let deletedBlobs = 0;
      let freedBytes = 0;
      // A snapshot: `isReferenced` may be async, and blobs may come and go meanwhile.
      for (const [id, blob] of [...blobs]) {
        if (blob.createdAt >= olderThan) continue;
        if (await isReferenced(id)) continue;
        if (blobs.get(id) !== blob) continue;
        blobs.delete(id);
        deletedBlobs += 1;
        freedBytes += blob.bytes.byteLength;
      }
      // Memory writes are never partial: a failed `put` stores nothing at all.
      return { deletedBlobs, deletedPartials: 0, freedBytes };
    },

    async close(): Promise<void> {
      closed = true;
      blobs.clear();
    },
  };
}
