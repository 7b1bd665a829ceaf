import { createHash } from "node:crypto";
import { expect } from "vitest";
import { readAll } from "@cellar/blob-store";

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();

/** UTF-8 bytes of `text`. */
export function utf8(text: string): Uint8Array {
  return utf8Encoder.encode(text);
}

/** `bytes` decoded as UTF-8. */
export function fromUtf8(bytes: Uint8Array): string {
  return utf8Decoder.decode(bytes);
}

/** Deterministic, incompressible-looking bytes (xorshift32), so misplaced bytes show up. */
export function patternBytes(length: number, seed = 1): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  let state = seed >>> 0 || 1;
  for (let index = 0; index < length; index++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    bytes[index] = state & 0xff;
  }
  return bytes;
}

/** Every byte value, `repeat` times over. */
export function allByteValues(repeat = 1): Uint8Array {
  return Uint8Array.from({ length: 256 * repeat }, (_, index) => index % 256);
}

/**
 * Splits `bytes` into chunks of uneven sizes between 1 and `maxChunk` bytes (views, no
 * copies), as a network source would deliver them.
 */
export function splitUnevenly(bytes: Uint8Array, maxChunk = 100_000, seed = 7): Uint8Array[] {
  const sizes = patternBytes(4096, seed);
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (let index = 0; offset < bytes.byteLength; index++) {
    const fraction = ((sizes[index % sizes.length]! << 8) | sizes[(index * 7 + 3) % sizes.length]!) / 0xffff;
    const size = Math.max(1, Math.round(fraction * maxChunk));
    chunks.push(bytes.subarray(offset, offset + size));
    offset += size;
  }
  return chunks;
}

/** Lowercase hex SHA-256 of `bytes`. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Reads a stream to the end, checking every chunk is a `Uint8Array`. */
export async function readStreamBytes(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return readAll(stream);
}

/** Every chunk of a stream, in order, as given (not concatenated). */
export async function readStreamChunks(stream: ReadableStream<Uint8Array>): Promise<Uint8Array[]> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  while (true) {
    const { done, value } = await reader.read();
    if (done) return chunks;
    chunks.push(value);
  }
}

/**
 * Expects `actual` to hold exactly the bytes of `expected`. Arrays are compared natively (an
 * element-wise `toEqual` of a few hundred kilobytes takes seconds); a mismatch is reported with
 * `toEqual`'s readable diff for small arrays, by length and first differing offset for large ones.
 */
export function expectSameBytes(actual: Uint8Array | null | undefined, expected: Uint8Array, label = "bytes"): void {
  expect(actual, label).toBeInstanceOf(Uint8Array);
  const bytes = actual!;
  if (Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).equals(Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength))) {
    return;
  }
  if (expected.byteLength <= 4096 && bytes.byteLength <= 4096) expect(bytes, label).toEqual(expected);
  let offset = 0;
  while (offset < bytes.byteLength && offset < expected.byteLength && bytes[offset] === expected[offset]) offset++;
  expect.fail(`${label}: got ${bytes.byteLength} bytes, expected ${expected.byteLength}; first difference at byte ${offset}`);
}
