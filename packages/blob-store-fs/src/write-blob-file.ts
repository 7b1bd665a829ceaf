import { open, type FileHandle } from "node:fs/promises";
import { throwIfWriteAborted, type BlobBodySource, type BlobId } from "@cellar/blob-store";
import type { BlobDirectory } from "./blob-directory.js";
import { closeFd, fsyncFd, openFd, renameFile, writeAllToFd } from "./fd-io.js";
import { fsyncDirectory } from "./fsync-directory.js";
import { errnoCode, toBlobStoreError } from "./io-error.js";
import { unlinkBlobFile } from "./unlink-blob-file.js";
import { writeSmallBlobSync } from "./write-small-blob-sync.js";

/** Blob files are read-only: the content of a blob never changes after its `put`. */
const BLOB_FILE_MODE = 0o444;
/** Exclusive create: two writes can never share a partial file, even across processes. */
const CREATE_EXCLUSIVE = "wx";

/** What `writeBlobFile` needs besides the body. */
export interface WriteBlobFileOptions {
  readonly directory: BlobDirectory;
  readonly id: BlobId;
  /** fsync the file before the rename and the directory after it. */
  readonly strict: boolean;
  /** Checked once more just before the rename, so a late abort still stores nothing. */
  readonly signal?: AbortSignal | undefined;
  /** Names of partial writes in progress, which `sweep` must leave alone. */
  readonly partialWritesInProgress: Set<string>;
  /** Bodies of known size up to this many bytes take the synchronous path (`writeSmallBlobSync`). */
  readonly syncWriteMaxBytes: number;
}

/**
 * Writes blob `id` atomically: the bytes go to a dotfile in the same directory, which is then
 * renamed to the id, so no reader ever sees part of a blob. On any failure (the body's stream
 * errors, `maxSize`, an abort, an I/O error) the partial file is removed and the error rethrown:
 * nothing remains. Errors of the body come out unchanged; I/O errors as `BlobStoreIoError`.
 */
export async function writeBlobFile(source: BlobBodySource, options: WriteBlobFileOptions): Promise<void> {
  const { directory, id, partialWritesInProgress } = options;
  const partialPath = directory.partialWritePath(id);
  const blobPath = directory.blobPath(id);
  partialWritesInProgress.add(partialPath);
  let leftover: string | undefined;
  try {
    try {
      await directory.ensureExists();
    } catch (error) {
      throw toBlobStoreError(error, `Cannot create the blob directory ${directory.root}`);
    }
    if (source.kind === "bytes" && source.bytes.byteLength <= options.syncWriteMaxBytes) {
      const small = { id, partialPath, blobPath, strict: options.strict, signal: options.signal };
      if (!writeSmallBlobSync(source.bytes, small)) {
        // The directory vanished since we created it: create it again and retry once.
        directory.forgetExists();
        await directory.ensureExists();
        if (!writeSmallBlobSync(source.bytes, small)) throw toBlobStoreError(new Error("ENOENT"), "Cannot create a blob file");
      }
    } else if (source.kind === "bytes") {
      await writeBytes(source.bytes, partialPath, blobPath, options, (path) => (leftover = path));
    } else {
      await writeChunks(source.chunks, partialPath, options, (path) => (leftover = path));
      throwIfWriteAborted(options.signal);
      try {
        await renameFile(partialPath, blobPath);
      } catch (error) {
        throw toBlobStoreError(error, `Cannot move blob ${id} into place`);
      }
    }
    leftover = undefined;
    if (options.strict) {
      try {
        await fsyncDirectory(directory.root);
      } catch (error) {
        throw toBlobStoreError(error, `Cannot flush the blob directory ${directory.root}`);
      }
    }
  } catch (error) {
    if (leftover !== undefined) await unlinkBlobFile(leftover).catch(() => {});
    throw error;
  } finally {
    partialWritesInProgress.delete(partialPath);
  }
}

/**
 * The fast path for bodies known up front: open, write, then close and rename. For a small
 * blob the cost is the number of round trips to the thread pool, so the close and the rename
 * run side by side: POSIX renames a file whatever its open descriptors, and the bytes are
 * already written. Windows renames open files only when it must, so there they run in turn.
 */
async function writeBytes(
  bytes: Uint8Array,
  partialPath: string,
  blobPath: string,
  options: WriteBlobFileOptions,
  setLeftover: (path: string | undefined) => void,
): Promise<void> {
  const fd = await createPartialFile(options.directory, () => openFd(partialPath, CREATE_EXCLUSIVE, BLOB_FILE_MODE));
  setLeftover(partialPath);
  try {
    await writeAllToFd(fd, bytes);
    if (options.strict) await fsyncFd(fd);
    throwIfWriteAborted(options.signal);
  } catch (error) {
    await closeFd(fd).catch(() => {});
    throw toBlobStoreError(error, `Cannot write blob ${options.id}`);
  }
  if (process.platform === "win32") {
    await settle(closeFd(fd), "write", options.id);
    await settle(renameFile(partialPath, blobPath), "move into place", options.id);
    return;
  }
  const [closed, renamed] = await Promise.allSettled([closeFd(fd), renameFile(partialPath, blobPath)]);
  if (renamed.status === "fulfilled") setLeftover(blobPath);
  if (closed.status === "rejected") throw toBlobStoreError(closed.reason, `Cannot write blob ${options.id}`);
  if (renamed.status === "rejected") throw toBlobStoreError(renamed.reason, `Cannot move blob ${options.id} into place`);
}

async function settle(operation: Promise<void>, action: string, id: BlobId): Promise<void> {
  try {
    await operation;
  } catch (error) {
    throw toBlobStoreError(error, `Cannot ${action} blob ${id}`);
  }
}

/**
 * The streaming path: each chunk is written as it arrives and awaited before the next is read,
 * so memory stays flat whatever the blob's size, and a slow disk slows the source down.
 */
async function writeChunks(
  chunks: AsyncIterable<Uint8Array>,
  partialPath: string,
  options: WriteBlobFileOptions,
  setLeftover: (path: string | undefined) => void,
): Promise<void> {
  const handle: FileHandle = await createPartialFile(options.directory, () => open(partialPath, CREATE_EXCLUSIVE, BLOB_FILE_MODE));
  setLeftover(partialPath);
  try {
    for await (const chunk of chunks) {
      await writeAllToHandle(handle, chunk).catch((error: unknown) => {
        throw toBlobStoreError(error, `Cannot write blob ${options.id}`);
      });
    }
    if (options.strict) {
      await handle.sync().catch((error: unknown) => {
        throw toBlobStoreError(error, `Cannot flush blob ${options.id}`);
      });
    }
  } catch (error) {
    await handle.close().catch(() => {});
    throw error;
  }
  // A failing close can mean lost data (a network file system), so it fails the write.
  await handle.close().catch((error: unknown) => {
    throw toBlobStoreError(error, `Cannot write blob ${options.id}`);
  });
}

async function writeAllToHandle(handle: FileHandle, chunk: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < chunk.byteLength) {
    const { bytesWritten } = await handle.write(chunk, offset, chunk.byteLength - offset);
    offset += bytesWritten;
  }
}

/**
 * Creates the partial file. If the directory vanished since we last created it (someone
 * removed it), create it again and retry once.
 */
async function createPartialFile<T>(directory: BlobDirectory, create: () => Promise<T>): Promise<T> {
  try {
    return await create();
  } catch (error) {
    if (errnoCode(error) !== "ENOENT") throw toBlobStoreError(error, "Cannot create a blob file");
  }
  directory.forgetExists();
  try {
    await directory.ensureExists();
    return await create();
  } catch (error) {
    throw toBlobStoreError(error, "Cannot create a blob file");
  }
}
