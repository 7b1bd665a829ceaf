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
export async function readBlobBytes(path: string, range: ByteRange | undefined): Promise<Uint8Array | null> {
  const slice = await readBlobSlice(path, range, Number.POSITIVE_INFINITY);
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
): Promise<ReadableStream<Uint8Array> | null> {
  const slice = await readBlobSlice(path, range, chunkSize);
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

/**
 * Reads the requested bytes if there are at most `maxLength` of them; otherwise only checks
 * the range and leaves `bytes` undefined.
 */
async function readBlobSlice(
  path: string,
  range: ByteRange | undefined,
  maxLength: number,
): Promise<{ bytes: Uint8Array | undefined } | null> {
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
