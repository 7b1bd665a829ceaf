import type { BlobStoreCapabilities, Clock } from "@cellar/blob-store";

/** Options of `createFsBlobStore`. */
export interface FsBlobStoreOptions {
  /**
   * The directory that holds the blob files directly, e.g. `<persist>/kv/<namespace>/blobs`
   * (see `sanitisePath` in the on-disk layout). Created, with its parents, on the first write.
   * A relative path is resolved against the current directory once, when the store is created.
   */
  readonly root: string;
  /** Creation times of new blobs come from here, so `sweep` can be tested without sleeping. Default: `Date.now`. */
  readonly clock?: Clock;
  /**
   * `"normal"` (default): `put` and `delete` resolve once the operating system has the data,
   * which survives the process being killed but not a power loss or kernel crash.
   * `"strict"`: the file is fsync'd before its rename and the directory after the rename or
   * unlink, so the change survives power loss too, at the cost of a disk flush per call.
   */
  readonly durability?: "normal" | "strict";
  /** Size of the chunks that streamed reads produce, in bytes. Default 1 MiB. */
  readonly chunkSize?: number;
  /**
   * Bodies of known size (a `Uint8Array`, `ArrayBuffer` or string) up to this many bytes are
   * written with synchronous system calls, which for small values is several times faster than
   * three thread-pool round trips. It blocks the event loop for the duration of one small file
   * write. 0 turns the path off. Default 16 KiB.
   */
  readonly syncWriteMaxBytes?: number;
  /**
   * Reads (`getBytes`, and `get` or a multipart part) of up to this many bytes are served by
   * synchronous system calls: open, fstat, read, close. It blocks the event loop for one small
   * file read; `0` turns it off. Default 64 KiB.
   */
  readonly syncReadMaxBytes?: number;
}

/** What the file-system store can do. */
export const fsBlobStoreCapabilities: BlobStoreCapabilities = Object.freeze({
  persistent: true,
  multiProcess: true,
  sweep: true,
  fastSmallBlobs: true,
  strictDurability: true,
});

/** Default `syncWriteMaxBytes`: most KV values and cache metadata-sized bodies. */
export const DEFAULT_SYNC_WRITE_MAX_BYTES = 16 * 1024;

/** Default `syncReadMaxBytes`: KV values and cached responses of typical size. */
export const DEFAULT_SYNC_READ_MAX_BYTES = 64 * 1024;

/** Default size of streamed read chunks: large enough that per-read overhead vanishes. */
export const DEFAULT_FS_READ_CHUNK_SIZE = 1024 * 1024;
