import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { validateByteRange, type ByteRange } from "@cellar/blob-store";
import { closeFd, fstatFd, openFd, readExactlyFromFd } from "./fd-io.js";
import { openFileRangeStream } from "./file-range-stream.js";
import { isMissingFileError, toBlobStoreError } from "./io-error.js";

/**
 * Reads a blob file, or the inclusive `range` of it, into one new buffer: open, fstat, one
 * positioned read, close. Returns `null` if the file does not exist.
 *
 * @throws {RangeNotSatisfiableError} when `range` does not fit inside the file.
 */
export async function readBlobBytes(
  path: string,
  range: ByteRange | undefined,
  syncReadMaxBytes: number,
): Promise<Uint8Array | null> {
  const slice = await readBlobSlice(path, range, Number.POSITIVE_INFINITY, syncReadMaxBytes);
  return slice === null ? null : slice.bytes!;
}

/**
 * Streams a blob file, or the inclusive `range` of it; `null` if the file does not exist.
 * Anything up to one chunk is read at once and the file closed before this resolves, so a
 * small `get` costs what `getBytes` costs and its stream holds no file open. Larger reads
 * stream from a `FileHandle`, chunk by chunk.
 *
 * @throws {RangeNotSatisfiableError} when `range` does not fit inside the file.
 */
export async function openBlobStream(
  path: string,
  range: ByteRange | undefined,
  chunkSize: number,
  syncReadMaxBytes: number,
): Promise<ReadableStream<Uint8Array> | null> {
  const slice = await readBlobSlice(path, range, chunkSize, syncReadMaxBytes);
  if (slice === null) return null;
  if (slice.bytes === undefined) return openFileRangeStream(path, range, chunkSize);
  const { bytes } = slice;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      if (bytes.byteLength > 0) controller.enqueue(bytes);
      controller.close();
    },
  });
}

type Slice = { bytes: Uint8Array | undefined } | null;

/**
 * Reads the requested bytes if there are at most `maxLength` of them; otherwise only checks
 * the range and leaves `bytes` undefined. Requests of up to `syncReadMaxBytes` bytes are served
 * by synchronous system calls (see `readSmallSliceSync`).
 */
async function readBlobSlice(
  path: string,
  range: ByteRange | undefined,
  maxLength: number,
  syncReadMaxBytes: number,
): Promise<Slice> {
  if (syncReadMaxBytes > 0) {
    const slice = readSmallSliceSync(path, range, Math.min(maxLength, syncReadMaxBytes));
    if (slice !== TOO_LARGE) return slice;
  }
  return readBlobSliceAsync(path, range, maxLength);
}

const TOO_LARGE = Symbol("too large for the synchronous path");

/**
 * The synchronous small-read path: open, fstat, read, close without leaving the JavaScript
 * thread. For a value of a few KiB each of the four thread-pool round trips of the asynchronous
 * path costs more than its system call (10 KiB reads ran at a seventh of `readFileSync`'s
 * rate). Returns `TOO_LARGE`, having read nothing, when more than `maxLength` bytes are wanted.
 */
function readSmallSliceSync(path: string, range: ByteRange | undefined, maxLength: number): Slice | typeof TOO_LARGE {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    if (isMissingFileError(error)) return null;
    throw toBlobStoreError(error, `Cannot open blob file ${path}`);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) return null;
    if (range !== undefined) validateByteRange(range, stats.size);
    const start = range?.start ?? 0;
    const length = range === undefined ? stats.size : range.end - range.start + 1;
    if (length > maxLength) return TOO_LARGE;
    // Unpooled memory: a pooled Buffer would expose unrelated data through `.buffer`.
    const bytes = new Uint8Array(Buffer.allocUnsafeSlow(length).buffer, 0, length);
    for (let offset = 0; offset < length; ) {
      const count = readSync(fd, bytes, offset, length - offset, start + offset);
      if (count === 0) throw new Error(`File ended after ${offset} of ${length} bytes`);
      offset += count;
    }
    return { bytes };
  } catch (error) {
    throw toBlobStoreError(error, `Cannot read blob file ${path}`);
  } finally {
    closeSync(fd);
  }
}

async function readBlobSliceAsync(path: string, range: ByteRange | undefined, maxLength: number): Promise<Slice> {
  let fd: number;
  try {
    fd = await openFd(path, "r");
  } catch (error) {
    if (isMissingFileError(error)) return null;
    throw toBlobStoreError(error, `Cannot open blob file ${path}`);
  }
  try {
    const stats = await fstatFd(fd);
    // A directory squatting on a blob's name is not a blob.
    if (!stats.isFile()) return null;
    const { size } = stats;
    if (range !== undefined) validateByteRange(range, size);
    const start = range?.start ?? 0;
    const length = range === undefined ? size : range.end - range.start + 1;
    return { bytes: length <= maxLength ? await readExactlyFromFd(fd, length, start) : undefined };
  } catch (error) {
    throw toBlobStoreError(error, `Cannot read blob file ${path}`);
  } finally {
    await closeFd(fd).catch(() => {});
  }
}
