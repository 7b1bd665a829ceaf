import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { throwIfWriteAborted, type BlobId } from "@cellar/blob-store";
import { errnoCode, toBlobStoreError } from "./io-error.js";

/** Blob files are read-only: the content of a blob never changes after its `put`. */
const BLOB_FILE_MODE = 0o444;

/** What `writeSmallBlobSync` needs besides the bytes. */
export interface WriteSmallBlobSyncOptions {
  readonly id: BlobId;
  readonly partialPath: string;
  readonly blobPath: string;
  readonly strict: boolean;
  readonly signal?: AbortSignal | undefined;
}

/**
 * The synchronous small-blob path: create the partial file exclusively, write, close, rename
 * into place, all without leaving the JavaScript thread. For a body of a few KiB each thread-pool
 * round trip of the asynchronous path costs more than the system call itself, and SQLite calls
 * in the same `put` already block for longer. Same guarantees as the asynchronous path: a reader
 * never sees a partial blob, and on failure nothing remains. Returns false, writing nothing, if
 * the directory does not exist (the caller creates it and retries).
 */
export function writeSmallBlobSync(bytes: Uint8Array, options: WriteSmallBlobSyncOptions): boolean {
  const { id, partialPath, blobPath } = options;
  let fd: number;
  try {
    fd = openSync(partialPath, "wx", BLOB_FILE_MODE);
  } catch (error) {
    if (errnoCode(error) === "ENOENT") return false;
    throw toBlobStoreError(error, "Cannot create a blob file");
  }
  let renamed = false;
  try {
    try {
      for (let offset = 0; offset < bytes.byteLength; ) offset += writeSync(fd, bytes, offset, bytes.byteLength - offset);
      if (options.strict) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    throwIfWriteAborted(options.signal);
    renameSync(partialPath, blobPath);
    renamed = true;
    return true;
  } catch (error) {
    if (!renamed) tryUnlink(partialPath);
    throw toBlobStoreError(error, `Cannot write blob ${id}`);
  }
}

function tryUnlink(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Left for `sweep`, which removes partial writes older than its cutoff.
  }
}
