/**
 * Reads a caller's `put` stream for the blob store, counting its bytes, so that an over-limit
 * value can be rejected with its real length (`Value length of <n> ...`), as the service does:
 * it reads the whole body before answering 413.
 *
 * The blob store gets {@link stream}, which yields `Uint8Array`s (chunks that are other
 * `ArrayBuffer` views or `ArrayBuffer`s are viewed as bytes). When the store stops reading
 * early (it enforces `maxSize` and cancels), the caller's stream is *not* cancelled:
 * {@link drain} reads the rest to count it.
 */
export class CountingSource {
  /** Bytes read from the caller's stream so far. */
  bytesRead = 0;
  /** The stream to hand to the blob store. */
  readonly stream: ReadableStream<Uint8Array>;
  readonly #reader: ReadableStreamDefaultReader<unknown>;
  /** The read in flight, so {@link drain} never races the store's last pull. */
  #pending: Promise<ReadableStreamReadResult<unknown>> | undefined;
  #done = false;

  constructor(source: ReadableStream<unknown>) {
    this.#reader = source.getReader();
    this.stream = new ReadableStream<Uint8Array>(
      {
        pull: async (controller) => {
          const chunk = await this.#next();
          if (chunk === undefined) controller.close();
          else controller.enqueue(chunk);
        },
        // Deliberately not cancelling the source: the rest is drained and counted.
        cancel: () => {},
      },
      { highWaterMark: 0 },
    );
  }

  /** Reads and counts whatever the store did not read; resolves with the total length. */
  async drain(): Promise<number> {
    while ((await this.#next()) !== undefined);
    return this.bytesRead;
  }

  /** Stops reading the caller's stream (after a failure that makes its bytes useless). */
  cancel(reason: unknown): void {
    if (this.#done) return;
    this.#done = true;
    this.#reader.cancel(reason).catch(() => {});
  }

  async #next(): Promise<Uint8Array | undefined> {
    if (this.#pending) await this.#pending.catch(() => {});
    if (this.#done) return undefined;
    this.#pending = this.#reader.read();
    const result = await this.#pending;
    this.#pending = undefined;
    if (result.done) {
      this.#done = true;
      return undefined;
    }
    const chunk = toBytes(result.value);
    this.bytesRead += chunk.byteLength;
    return chunk;
  }
}

function toBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  throw new TypeError("KV put() streams must yield ArrayBuffer or ArrayBufferView chunks.");
}
