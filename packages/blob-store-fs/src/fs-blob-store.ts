import { stat } from "node:fs/promises";
import {
  BlobStoreClosedError,
  BlobStoreIoError,
  assertByteRangeShape,
  assertSweepOptions,
  createBlobId,
  createMultipartByteRanges,
  openBlobBody,
  parseBlobId,
  systemClock,
  type BlobBody,
  type BlobId,
  type BlobPutOptions,
  type BlobStat,
  type BlobStore,
  type ByteRange,
  type MultipartByteRangesBody,
  type SweepOptions,
  type SweepResult,
} from "@cellar/blob-store";
import { createBlobDirectory } from "./blob-directory.js";
import { DEFAULT_FS_READ_CHUNK_SIZE, DEFAULT_SYNC_READ_MAX_BYTES, DEFAULT_SYNC_WRITE_MAX_BYTES, fsBlobStoreCapabilities, type FsBlobStoreOptions } from "./fs-blob-store-options.js";
import { fsyncDirectory } from "./fsync-directory.js";
import { isMissingFileError, toBlobStoreError } from "./io-error.js";
import { openBlobStream, readBlobBytes } from "./read-blob-file.js";
import { sweepBlobDirectory } from "./sweep-blob-directory.js";
import { unlinkBlobFile } from "./unlink-blob-file.js";
import { writeBlobFile } from "./write-blob-file.js";

/**
 * A `BlobStore` that keeps each blob as a read-only file named by its id, directly in `root`,
 * as Miniflare and `wrangler dev` do (`<plugin>/<namespace>/blobs/<blobId>`). Writes are atomic
 * (a dotfile renamed into place), reads and writes stream with flat memory, and several
 * processes may share one directory: files are only ever created under unique names, renamed
 * and unlinked.
 */
export function createFsBlobStore(options: FsBlobStoreOptions): BlobStore {
  const {
    root,
    clock = systemClock,
    durability = "normal",
    chunkSize = DEFAULT_FS_READ_CHUNK_SIZE,
    syncWriteMaxBytes = DEFAULT_SYNC_WRITE_MAX_BYTES,
    syncReadMaxBytes = DEFAULT_SYNC_READ_MAX_BYTES,
  } = options ?? {};
  if (typeof root !== "string" || root === "") throw new TypeError("createFsBlobStore needs a root directory");
  if (durability !== "normal" && durability !== "strict") {
    throw new TypeError(`durability must be "normal" or "strict", got ${JSON.stringify(durability)}`);
  }
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1) throw new RangeError(`chunkSize must be a positive integer, got ${chunkSize}`);
  for (const [name, value] of [["syncWriteMaxBytes", syncWriteMaxBytes], ["syncReadMaxBytes", syncReadMaxBytes]] as const) {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }

  const directory = createBlobDirectory(root);
  const strict = durability === "strict";
  const partialWritesInProgress = new Set<string>();
  let closed = false;

  function assertOpen(): void {
    if (closed) throw new BlobStoreClosedError();
  }

  async function flushDirectory(): Promise<void> {
    if (!strict) return;
    await fsyncDirectory(directory.root).catch((error: unknown) => {
      throw toBlobStoreError(error, `Cannot flush the blob directory ${directory.root}`);
    });
  }

  /** Size and mtime of a blob file, or `null` if there is none. */
  async function statBlobFile(path: string): Promise<{ size: number; mtimeMs: number } | null> {
    try {
      const stats = await stat(path);
      return stats.isFile() ? stats : null;
    } catch (error) {
      if (isMissingFileError(error)) return null;
      throw toBlobStoreError(error, `Cannot stat blob file ${path}`);
    }
  }

  return {
    capabilities: fsBlobStoreCapabilities,

    async put(body: BlobBody, putOptions: BlobPutOptions = {}): Promise<BlobId> {
      assertOpen();
      // Create the id first: an unencodable user id must fail before the body is read.
      const id = createBlobId({ now: clock.now(), userId: putOptions.userId });
      const source = openBlobBody(body, putOptions);
      await writeBlobFile(source, { directory, id, strict, signal: putOptions.signal, partialWritesInProgress, syncWriteMaxBytes });
      return id;
    },

    async get(id: BlobId, range?: ByteRange): Promise<ReadableStream<Uint8Array> | null> {
      assertOpen();
      const path = directory.blobPath(id);
      if (range !== undefined) assertByteRangeShape(range);
      return openBlobStream(path, range, chunkSize, syncReadMaxBytes);
    },

    async getBytes(id: BlobId, range?: ByteRange): Promise<Uint8Array | null> {
      assertOpen();
      const path = directory.blobPath(id);
      if (range !== undefined) assertByteRangeShape(range);
      return readBlobBytes(path, range, syncReadMaxBytes);
    },

    async getRanges(
      id: BlobId,
      ranges: readonly ByteRange[],
      rangeOptions: { contentType?: string; boundary?: string } = {},
    ): Promise<MultipartByteRangesBody | null> {
      assertOpen();
      const path = directory.blobPath(id);
      if (Array.isArray(ranges)) ranges.forEach(assertByteRangeShape);
      const file = await statBlobFile(path);
      if (!file) return null;
      return createMultipartByteRanges({
        ranges,
        size: file.size,
        contentType: rangeOptions.contentType,
        boundary: rangeOptions.boundary,
        readRange: async (range) => {
          const stream = await openBlobStream(path, range, chunkSize, syncReadMaxBytes);
          if (!stream) throw new BlobStoreIoError(`Blob ${id} was deleted while its ranges were read`, undefined);
          return stream;
        },
      });
    },

    async stat(id: BlobId): Promise<BlobStat | null> {
      assertOpen();
      const file = await statBlobFile(directory.blobPath(id));
      if (!file) return null;
      return { size: file.size, createdAt: parseBlobId(id).createdAt ?? Math.floor(file.mtimeMs) };
    },

    async delete(id: BlobId): Promise<void> {
      assertOpen();
      const path = directory.blobPath(id);
      const deleted = await unlinkBlobFile(path).catch((error: unknown) => {
        throw toBlobStoreError(error, `Cannot delete blob file ${path}`);
      });
      if (deleted) await flushDirectory();
    },

    async sweep(sweepOptions: SweepOptions): Promise<SweepResult> {
      assertOpen();
      assertSweepOptions(sweepOptions);
      const result = await sweepBlobDirectory(sweepOptions, { root: directory.root, partialWritesInProgress });
      if (result.deletedBlobs + result.deletedPartials > 0) await flushDirectory();
      return result;
    },

    async close(): Promise<void> {
      // Nothing is held open between calls; streams already handed out finish on their own.
      closed = true;
    },
  };
}
