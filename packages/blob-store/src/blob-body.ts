import type { BlobBody } from "./blob-store.js";
import { BlobTooLargeError, BlobWriteAbortedError } from "./errors.js";

/** Limits every `put` enforces while it reads a body. */
export interface BlobBodyLimits {
  /** Reject with `BlobTooLargeError` once more than this many bytes have been read. */
  readonly maxSize?: number | undefined;
  /** Reject with `BlobWriteAbortedError` once this signal aborts. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * A `put` body, normalised. Bodies known up front (`Uint8Array`, `ArrayBuffer`, string) are
 * `bytes`, so stores can take a fast path (one write, no stream machinery); streams are
 * `chunks`, read one at a time.
 */
export type BlobBodySource =
  | {
      readonly kind: "bytes";
      /**
       * The body's bytes, already checked against the limits. This is a view of the caller's
       * memory, not a copy: a store that keeps it must copy it.
       */
      readonly bytes: Uint8Array;
    }
  | {
      readonly kind: "stream";
      /**
       * The stream's chunks, counted against `maxSize` and raced against `signal`: the
       * iterator throws `BlobTooLargeError` before yielding the chunk that crosses the
       * limit, and `BlobWriteAbortedError` as soon as the signal aborts, even while the
       * stream stalls. In either case, and when the consumer stops early, the stream is
       * cancelled so its source stops producing. Chunks are the stream's own; a store that
       * keeps them must copy them.
       */
      readonly chunks: AsyncIterable<Uint8Array>;
    };

const utf8 = new TextEncoder();

/**
 * Normalises a `put` body and arms the limits. Both stores build on this, so body handling
 * (types, counting, aborts) behaves the same everywhere.
 *
 * @throws {TypeError} for a body of an unsupported type or an invalid `maxSize`.
 * @throws {BlobWriteAbortedError} when the signal has already aborted.
 * @throws {BlobTooLargeError} when a byte body is over `maxSize`.
 */
export function openBlobBody(body: BlobBody, limits: BlobBodyLimits = {}): BlobBodySource {
  const { maxSize = Number.POSITIVE_INFINITY, signal } = limits;
  if (typeof maxSize !== "number" || Number.isNaN(maxSize) || maxSize < 0) {
    throw new TypeError(`maxSize must be a non-negative number, got ${String(maxSize)}`);
  }
  throwIfWriteAborted(signal);
  if (isReadableStream(body)) {
    return { kind: "stream", chunks: limitedChunks(body, maxSize, signal) };
  }
  const bytes = toBytes(body);
  if (bytes.byteLength > maxSize) throw new BlobTooLargeError(maxSize);
  return { kind: "bytes", bytes };
}

/** Throws `BlobWriteAbortedError` (with the abort reason as `cause`) if `signal` has aborted. */
export function throwIfWriteAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new BlobWriteAbortedError(signal.reason);
}

/** Duck-typed, so streams from another realm or a polyfill are accepted too. */
function isReadableStream(body: unknown): body is ReadableStream<Uint8Array> {
  return body instanceof ReadableStream || (typeof body === "object" && body !== null && typeof (body as ReadableStream).getReader === "function");
}

function toBytes(body: unknown): Uint8Array {
  if (typeof body === "string") return utf8.encode(body);
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  throw new TypeError(
    `A blob body must be a ReadableStream, Uint8Array, ArrayBuffer or string, got ${body === null ? "null" : typeof body}`,
  );
}

async function* limitedChunks(
  stream: ReadableStream<Uint8Array>,
  maxSize: number,
  signal: AbortSignal | undefined,
): AsyncGenerator<Uint8Array, void, undefined> {
  const reader = stream.getReader();
  const aborted = signal ? abortPromise(signal) : undefined;
  let finished = false;
  let total = 0;
  try {
    while (true) {
      const read = reader.read();
      const result = aborted ? await Promise.race([read, aborted.promise]) : await read;
      if (result.done) {
        finished = true;
        return;
      }
      const chunk: unknown = result.value;
      if (!(chunk instanceof Uint8Array)) {
        throw new TypeError(`A blob body stream must yield Uint8Array chunks, got ${chunk === null ? "null" : typeof chunk}`);
      }
      total += chunk.byteLength;
      if (total > maxSize) throw new BlobTooLargeError(maxSize);
      yield chunk;
      throwIfWriteAborted(signal);
    }
  } finally {
    aborted?.dispose();
    if (!finished) {
      // Stop the source: nobody will read the rest. A source that rejects its cancel must not
      // hide the error that brought us here.
      reader.cancel().catch(() => {});
    }
    reader.releaseLock();
  }
}

/** A promise that rejects with `BlobWriteAbortedError` when `signal` aborts. */
function abortPromise(signal: AbortSignal): { promise: Promise<never>; dispose(): void } {
  let onAbort = (): void => {};
  const promise = new Promise<never>((_, reject) => {
    onAbort = () => reject(new BlobWriteAbortedError(signal.reason));
    signal.addEventListener("abort", onAbort, { once: true });
  });
  // Nobody awaits it once the body is done; an abort after that is not an error.
  promise.catch(() => {});
  return { promise, dispose: () => signal.removeEventListener("abort", onAbort) };
}
