/** A `put` value, normalised: bytes known up front, a stream read once, or a `Blob` of known size. */
export type PutValue =
  | { readonly kind: "bytes"; readonly bytes: Uint8Array }
  | { readonly kind: "stream"; readonly stream: ReadableStream<unknown> }
  /** Its size is known without reading it, like a `Content-Length`, so an over-limit `Blob` is never read. */
  | { readonly kind: "blob"; readonly blob: Blob };

const utf8 = new TextEncoder();
const EMPTY = new Uint8Array(0);

/**
 * Converts a `put` value as the binding does: strings are stored as UTF-8 (other primitives are
 * converted to strings first), `null` as an empty value, `ArrayBuffer`s and views (typed arrays,
 * `DataView`) as their bytes, `ReadableStream`s and `Blob`s as streams.
 *
 * Bytes are copied now, as the runtime copies them when `put` is called: changing the buffer
 * afterwards must not change what is stored.
 *
 * @throws {TypeError} for any other value, with the runtime's message.
 */
export function toPutValue(value: unknown): PutValue {
  if (typeof value === "string") return { kind: "bytes", bytes: utf8.encode(value) };
  if (value === null) return { kind: "bytes", bytes: EMPTY };
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") {
    return { kind: "bytes", bytes: utf8.encode(String(value)) };
  }
  if (typeof value === "object") {
    if (value instanceof ArrayBuffer) return { kind: "bytes", bytes: new Uint8Array(value.slice(0)) };
    if (ArrayBuffer.isView(value)) {
      return { kind: "bytes", bytes: new Uint8Array(value.buffer, value.byteOffset, value.byteLength).slice() };
    }
    if (typeof (value as ReadableStream).getReader === "function") {
      return { kind: "stream", stream: value as ReadableStream<unknown> };
    }
    if (value instanceof Blob) return { kind: "blob", blob: value };
  }
  throw new TypeError("KV put() accepts only strings, ArrayBuffers, ArrayBufferViews, and ReadableStreams as values.");
}
