import { CACHE_ERROR_MESSAGES } from "./cache-errors.js";

/**
 * Bodies up to this size are handled in memory in one piece, in (`put`) and out (`match`): for
 * them, stream machinery costs more than the bytes. Larger bodies stream, keeping memory flat.
 */
export const SMALL_BODY_BYTES = 64 * 1024;

/**
 * Reads the body of a response being `put`, counting its bytes (spec C5: `size` is always what
 * was actually read). The reader is taken when the object is created, i.e. when `put` is
 * called, so the caller can no longer read the body, as in Workers.
 *
 * A body can be read in three ways, in this order: {@link readUpTo} buffers a small body whole
 * (so small bodies take the blob store's fast path); {@link stream} hands the rest to the blob
 * store; {@link drain} reads and discards whatever is left (a body that is not stored is still
 * consumed, as by the Cache service).
 */
export class ResponseBody {
  /** Bytes read from the source so far. */
  bytesRead = 0;
  readonly #reader: ReadableStreamDefaultReader<unknown> | undefined;
  /** Chunks read by {@link readUpTo} that nobody consumed yet. */
  #buffered: Uint8Array[] = [];
  /** The read in flight, so that {@link drain} never races a blob store's last pull. */
  #pending: Promise<ReadableStreamReadResult<unknown>> | undefined;
  #done: boolean;

  constructor(body: { getReader(): unknown } | null) {
    this.#reader = body === null ? undefined : (body.getReader() as ReadableStreamDefaultReader<unknown>);
    this.#done = this.#reader === undefined;
  }

  /**
   * Reads until the body ends or more than `limit` bytes have arrived. Resolves with the whole
   * body when it ended within `limit`, else `undefined` (what was read stays buffered for
   * {@link stream}).
   */
  async readUpTo(limit: number): Promise<Uint8Array | undefined> {
    let length = this.#buffered.reduce((total, chunk) => total + chunk.byteLength, 0);
    while (length <= limit) {
      const chunk = await this.#next();
      if (chunk === undefined) return this.#takeBuffered(length);
      this.#buffered.push(chunk);
      length += chunk.byteLength;
    }
    return undefined;
  }

  /**
   * The rest of the body, buffered chunks first, as a pull-based stream for a blob store. When
   * the store stops reading early (it enforces `maxSize` and cancels), the source is *not*
   * cancelled, so {@link drain} can consume the rest.
   */
  stream(): ReadableStream<Uint8Array> {
    return new ReadableStream<Uint8Array>(
      {
        pull: async (controller) => {
          const chunk = this.#buffered.shift() ?? (await this.#next());
          if (chunk === undefined) controller.close();
          else controller.enqueue(chunk);
        },
        cancel: () => {},
      },
      { highWaterMark: 0 },
    );
  }

  /** Reads and discards the rest of the body; resolves with its total length. */
  async drain(): Promise<number> {
    this.#buffered = [];
    while ((await this.#next()) !== undefined);
    return this.bytesRead;
  }

  /** Stops reading the source, after a failure that makes its bytes useless. */
  cancel(reason: unknown): void {
    this.#buffered = [];
    if (this.#done) return;
    this.#done = true;
    this.#reader!.cancel(reason).catch(() => {});
  }

  async #next(): Promise<Uint8Array | undefined> {
    if (this.#pending) await this.#pending.catch(() => {});
    if (this.#done) return undefined;
    this.#pending = this.#reader!.read();
    let result: ReadableStreamReadResult<unknown>;
    try {
      result = await this.#pending;
    } finally {
      this.#pending = undefined;
    }
    if (result.done) {
      this.#done = true;
      return undefined;
    }
    const chunk = toBytes(result.value);
    if (chunk === undefined) {
      const error = new TypeError(CACHE_ERROR_MESSAGES.notBytes);
      this.cancel(error);
      throw error;
    }
    this.bytesRead += chunk.byteLength;
    return chunk;
  }

  #takeBuffered(length: number): Uint8Array {
    const chunks = this.#buffered;
    this.#buffered = [];
    if (chunks.length === 1) return chunks[0]!;
    const bytes = new Uint8Array(length);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return bytes;
  }
}

function toBytes(chunk: unknown): Uint8Array | undefined {
  if (chunk instanceof Uint8Array) return chunk;
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  return undefined;
}
