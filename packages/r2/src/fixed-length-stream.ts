/** Lengths of the readable halves of `FixedLengthStream`s, so `put` can tell their length. */
const knownLengths = new WeakMap<object, number>();

/**
 * The Workers `FixedLengthStream`: an identity transform that promises exactly `expectedLength`
 * bytes. Its readable half is a stream of **known length**, which `put` and `uploadPart` require
 * (a stream of unknown length is a `TypeError`, as in Workers). Node streams never carry their
 * length, so this is how a Node program puts a stream:
 *
 * ```ts
 * await bucket.put("big.bin", source.pipeThrough(new FixedLengthStream(size)));
 * ```
 *
 * Writing more than `expectedLength` bytes, or closing before all of them were written, errors
 * both halves; a `put` reading the readable half then fails and stores nothing.
 */
export class FixedLengthStream extends TransformStream<ArrayBuffer | ArrayBufferView, Uint8Array> {
  /** The number of bytes the stream carries. */
  readonly expectedLength: number;

  /**
   * @param expectedLength a non-negative integer (a `bigint` is accepted, as in Workers)
   * @throws {TypeError} when `expectedLength` is not a non-negative safe integer
   */
  constructor(expectedLength: number | bigint) {
    const length = typeof expectedLength === "bigint" ? Number(expectedLength) : expectedLength;
    if (typeof length !== "number" || !Number.isSafeInteger(length) || length < 0) {
      throw new TypeError(`FixedLengthStream requires a non-negative integer length, got ${String(expectedLength)}`);
    }
    let seen = 0;
    super({
      transform(chunk, controller) {
        const bytes = chunkBytes(chunk);
        seen += bytes.byteLength;
        if (seen > length) throw new TypeError("Attempt to write too many bytes through a FixedLengthStream.");
        controller.enqueue(bytes);
      },
      flush() {
        if (seen < length) throw new TypeError("FixedLengthStream did not see all expected bytes before close().");
      },
    });
    this.expectedLength = length;
    knownLengths.set(this.readable, length);
  }
}

/** The length a stream is known to have (the readable half of a `FixedLengthStream`), if any. */
export function knownStreamLength(stream: object): number | undefined {
  return knownLengths.get(stream);
}

/**
 * A stream chunk as bytes: `Uint8Array`s as they are, other views and `ArrayBuffer`s viewed
 * without copying.
 *
 * @throws {TypeError} for anything else, as a byte stream in Workers does.
 */
export function chunkBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  throw new TypeError("This ReadableStream did not return bytes.");
}
