import { randomUUID } from "node:crypto";
import type { MultipartByteRangesBody } from "./blob-store.js";
import { byteRangeLength, validateByteRange, type ByteRange } from "./byte-range.js";
import { BlobStoreIoError, InvalidRangeError } from "./errors.js";

export interface CreateMultipartByteRangesOptions {
  /** The ranges, in the order the parts appear. Not merged or reordered, as in Miniflare. */
  readonly ranges: readonly ByteRange[];
  /** Size of the whole blob, for validation and each part's `Content-Range`. */
  readonly size: number;
  /** The blob's own content type, repeated as `Content-Type` in every part when given. */
  readonly contentType?: string | undefined;
  /** Defaults to `cellar-boundary-<random UUID>`. */
  readonly boundary?: string | undefined;
  /**
   * Opens one part's bytes. Called lazily: the first time when the body is first read, and
   * the next only after the previous part's stream is drained, so at most one is open.
   */
  readonly readRange: (range: ByteRange) => Promise<ReadableStream<Uint8Array>>;
}

// RFC 2046 §5.1.1: 1 to 70 characters, no trailing space.
const BOUNDARY = /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/;
const utf8 = new TextEncoder();

/**
 * Builds a `multipart/byteranges` body, byte for byte as Miniflare does (on-disk-layout §6):
 *
 * ```text
 * --B\r\n[Content-Type: T\r\n]Content-Range: bytes s-e/N\r\n\r\n<data>   (first part)
 * \r\n--B\r\n...                                                      (each next part)
 * \r\n--B--                                                           (trailer)
 * ```
 *
 * Every range is validated before anything is read, so a bad range throws here rather than
 * midway through a response. Cancelling the body cancels the part being read.
 *
 * @throws {InvalidRangeError} when there are no ranges or one is malformed.
 * @throws {RangeNotSatisfiableError} when a range does not fit inside `size` bytes.
 * @throws {TypeError} for a boundary or content type that would break the framing.
 */
export function createMultipartByteRanges(options: CreateMultipartByteRangesOptions): MultipartByteRangesBody {
  const { ranges, size, contentType, readRange } = options;
  const boundary = options.boundary ?? `cellar-boundary-${randomUUID()}`;
  if (!BOUNDARY.test(boundary)) throw new TypeError(`Invalid multipart boundary: ${JSON.stringify(boundary)}`);
  if (contentType !== undefined && /[\r\n]/.test(contentType)) {
    throw new TypeError("A part's content type must not contain line breaks");
  }
  if (!Array.isArray(ranges) || ranges.length === 0) throw new InvalidRangeError("At least one byte range is required");
  for (const range of ranges) validateByteRange(range, size);
  const parts = ranges.map((range) => ({ range: { start: range.start, end: range.end }, header: partHeader(range) }));

  function partHeader(range: ByteRange): string {
    const typeLine = contentType === undefined ? "" : `Content-Type: ${contentType}\r\n`;
    return `--${boundary}\r\n${typeLine}Content-Range: bytes ${range.start}-${range.end}/${size}\r\n\r\n`;
  }

  let nextPart = 0;
  let cancelled = false;
  let current: { reader: ReadableStreamDefaultReader<Uint8Array>; remaining: number } | undefined;

  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          await pullNext(controller);
        } catch (error) {
          // The body is errored; release the part being read (a file handle, say).
          const reader = current?.reader;
          current = undefined;
          reader?.cancel(error).catch(() => {});
          throw error;
        }
      },
      async cancel(reason) {
        cancelled = true;
        const reader = current?.reader;
        current = undefined;
        await reader?.cancel(reason);
      },
    },
    // Open nothing until the body is read: a body that is never consumed holds no resources.
    { highWaterMark: 0 },
  );

  async function pullNext(controller: ReadableStreamDefaultController<Uint8Array>): Promise<void> {
    // Loop until something is enqueued: a pull that enqueues nothing is not called again.
    while (true) {
      const reading = current;
      if (reading) {
        const result = await reading.reader.read();
        if (!result.done) {
          reading.remaining -= result.value.byteLength;
          if (reading.remaining < 0) throw new BlobStoreIoError("A part yielded more bytes than its range", undefined);
          if (result.value.byteLength === 0) continue;
          controller.enqueue(result.value);
          return;
        }
        reading.reader.releaseLock();
        current = undefined;
        // A short part would silently shift every later byte of the response.
        if (reading.remaining !== 0) throw new BlobStoreIoError("A part ended before the end of its range", undefined);
        continue;
      }
      const part = parts[nextPart];
      if (!part) {
        controller.enqueue(utf8.encode(`\r\n--${boundary}--`));
        controller.close();
        return;
      }
      nextPart += 1;
      const stream = await readRange(part.range);
      if (cancelled) {
        // The body was cancelled while this part was opening; nobody will read it.
        await stream.cancel();
        return;
      }
      current = { reader: stream.getReader(), remaining: byteRangeLength(part.range) };
      controller.enqueue(utf8.encode(nextPart === 1 ? part.header : `\r\n${part.header}`));
      return;
    }
  }

  return { contentType: `multipart/byteranges; boundary=${boundary}`, boundary, body };
}
