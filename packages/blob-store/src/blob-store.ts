import type { BlobStoreCapabilities } from "./capabilities.js";
import type { ByteRange } from "./byte-range.js";

/**
 * An opaque, unguessable blob id. Ids issued by cellar's stores are
 * `<64 hex random><16 hex creation time in ms>[-<encoded user id>]` (see `createBlobId`);
 * ids written by Miniflare (80 hex characters) are accepted too.
 */
export type BlobId = string;

/**
 * Bodies `put` accepts. Strings are stored as UTF-8. Streams are consumed once and never
 * buffered whole by streaming stores.
 */
export type BlobBody = ReadableStream<Uint8Array> | Uint8Array | ArrayBuffer | string;

/** Options of `BlobStore.put`. */
export interface BlobPutOptions {
  /**
   * The user-facing name of the value (a KV key, an R2 key, a cache URL). It is encoded
   * file-name-safe into the blob id so a person can find the value on disk. It never decides
   * where the blob is stored: ids always stay inside the store's root.
   */
  readonly userId?: string;
  /** Reject with `BlobTooLargeError` (storing nothing) once more than this many bytes are read. */
  readonly maxSize?: number;
  /** Abort the write: `put` rejects with `BlobWriteAbortedError` and stores nothing. */
  readonly signal?: AbortSignal;
}

/** What `BlobStore.stat` reports about a blob. */
export interface BlobStat {
  /** Length in bytes. */
  readonly size: number;
  /** Creation time in epoch milliseconds (from the id, or the file's mtime for foreign ids). */
  readonly createdAt: number;
}

/** A `multipart/byteranges` response body and the header that goes with it. */
export interface MultipartByteRangesBody {
  /** `multipart/byteranges; boundary=<boundary>` */
  readonly contentType: string;
  /** The boundary between parts, without the leading `--`. */
  readonly boundary: string;
  /** Parts are read one at a time, as the body is consumed. */
  readonly body: ReadableStream<Uint8Array>;
}

/** Options of `BlobStore.sweep`. */
export interface SweepOptions {
  /**
   * Only blobs (and partial writes) created strictly before this time, in epoch milliseconds,
   * are candidates. Choose it long enough ago to cover any write still in flight.
   */
  readonly olderThan: number;
  /** Called for each candidate; a blob for which it returns true is kept. */
  readonly isReferenced: (id: BlobId) => boolean | Promise<boolean>;
}

/** What one `BlobStore.sweep` removed. */
export interface SweepResult {
  /** Unreferenced blobs deleted. */
  readonly deletedBlobs: number;
  /** Leftover partial writes (from a crash mid-`put`) deleted. */
  readonly deletedPartials: number;
  /** Bytes freed by both. */
  readonly freedBytes: number;
}

/**
 * Immutable byte blobs, streamed in and out.
 *
 * Contract:
 * - A blob is immutable once `put` resolves, and complete: no reader ever sees part of a blob.
 * - `put` returns a new, unguessable id. Blobs cannot be listed; a blob becomes reachable only
 *   when its id is committed to a metadata store, which gives atomic writes without a
 *   transaction spanning two stores. If that commit fails, the caller deletes the blob.
 * - A `put` that fails (stream error, `maxSize`, abort) stores nothing.
 * - Reads return fresh data: mutating a chunk you were given never changes the stored blob.
 * - A missing blob reads as `null`; `delete` of a missing blob is a no-op.
 * - Ranges are inclusive (`{ start: 0, end: 0 }` is the first byte) and must lie inside the
 *   blob: an out-of-bounds range throws `RangeNotSatisfiableError`, a malformed one
 *   `InvalidRangeError` (even when the blob is missing). Gateways clamp HTTP ranges before
 *   calling.
 * - An id that this store could never have issued throws `InvalidBlobIdError`; nothing ever
 *   resolves outside the store's root.
 */
export interface BlobStore {
  /** What this store can do, declared up front (see `BlobStoreCapabilities`). */
  readonly capabilities: BlobStoreCapabilities;

  /** Store a body; resolves with its id once the blob is complete and would survive a process kill. */
  put(body: BlobBody, options?: BlobPutOptions): Promise<BlobId>;

  /**
   * Stream a blob, or the inclusive `range` of it; `null` if there is no such blob. The stream
   * may hold a resource (a file handle) until it is read to the end or cancelled.
   */
  get(id: BlobId, range?: ByteRange): Promise<ReadableStream<Uint8Array> | null>;

  /** Read a blob (or a range of it) into memory; meant for small values. `null` if missing. */
  getBytes(id: BlobId, range?: ByteRange): Promise<Uint8Array | null>;

  /**
   * Stream several ranges of one blob as a `multipart/byteranges` body (format in
   * `createMultipartByteRanges`). `contentType` is the blob's own type, repeated in each part.
   * `null` if there is no such blob.
   */
  getRanges(
    id: BlobId,
    ranges: readonly ByteRange[],
    options?: { contentType?: string; boundary?: string },
  ): Promise<MultipartByteRangesBody | null>;

  /** Size and creation time, or `null` if missing. */
  stat(id: BlobId): Promise<BlobStat | null>;

  /** Delete a blob. Idempotent: deleting a missing blob resolves. */
  delete(id: BlobId): Promise<void>;

  /** Delete every unreferenced blob and leftover partial write created before `olderThan`. */
  sweep(options: SweepOptions): Promise<SweepResult>;

  /** Release resources. Further calls reject with `BlobStoreClosedError`. Idempotent. */
  close(): Promise<void>;
}
