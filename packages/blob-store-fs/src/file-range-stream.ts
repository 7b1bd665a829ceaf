import { open, type FileHandle } from "node:fs/promises";
import { BlobStoreIoError, validateByteRange, type ByteRange } from "@cellar/blob-store";
import { isMissingFileError, toBlobStoreError } from "./io-error.js";

/**
 * Opens a file as a pull-based stream of its bytes, or of the inclusive `range` of them.
 * Returns `null` if the file does not exist. Each chunk is a fresh buffer of at most
 * `chunkSize` bytes, read only when the consumer wants more (plus one chunk read ahead), so
 * memory stays flat for any size. The file handle is closed at the end, on cancel and on error.
 *
 * @throws {RangeNotSatisfiableError} when `range` does not fit inside the file.
 */
export async function openFileRangeStream(
  path: string,
  range: ByteRange | undefined,
  chunkSize: number,
): Promise<ReadableStream<Uint8Array> | null> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, "r");
  } catch (error) {
    if (isMissingFileError(error)) return null;
    throw toBlobStoreError(error, `Cannot open blob file ${path}`);
  }
  let position: number;
  let end: number;
  try {
    // The size bounds the range and sizes every buffer exactly, and knowing where the file
    // ends saves a final zero-byte read.
    const stats = await handle.stat();
    if (!stats.isFile()) {
      await handle.close();
      return null;
    }
    const { size } = stats;
    if (range !== undefined) validateByteRange(range, size);
    position = range?.start ?? 0;
    end = range === undefined ? size : range.end + 1;
  } catch (error) {
    await handle.close().catch(() => {});
    throw toBlobStoreError(error, `Cannot read blob file ${path}`);
  }

  const release = async (): Promise<void> => {
    const open = handle;
    handle = undefined;
    await open?.close();
  };

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const reading = handle;
        const length = Math.min(chunkSize, end - position);
        if (!reading || length <= 0) {
          await release();
          controller.close();
          return;
        }
        // Unpooled memory: a pooled Buffer would expose unrelated data through `.buffer`.
        const chunk = new Uint8Array(Buffer.allocUnsafeSlow(length).buffer, 0, length);
        const { bytesRead } = await reading.read(chunk, 0, length, position);
        if (bytesRead === 0) throw new BlobStoreIoError(`Blob file ${path} ended before its last byte`, undefined);
        position += bytesRead;
        controller.enqueue(bytesRead === length ? chunk : chunk.subarray(0, bytesRead));
        if (position >= end) {
          await release();
          controller.close();
        }
      } catch (error) {
        await release().catch(() => {});
        throw toBlobStoreError(error, `Cannot read blob file ${path}`);
      }
    },
    async cancel() {
      await release();
    },
  });
}
