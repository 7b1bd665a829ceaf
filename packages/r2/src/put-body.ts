import { knownStreamLength } from "./fixed-length-stream.js";

/**
 * A `put` or `uploadPart` value, normalised. Bytes are copied when the call is made; a `Blob`
 * and a stream are read when the value is stored.
 */
export type PutBody =
  | { readonly kind: "bytes"; readonly bytes: Uint8Array; readonly length: number }
  | { readonly kind: "blob"; readonly blob: Blob; readonly length: number }
  | {
      readonly kind: "stream";
      readonly stream: ReadableStream<unknown>;
      /** Known for the readable half of a `FixedLengthStream`; `undefined` otherwise. */
      readonly length: number | undefined;
    };

/** A body whose length is known, as the service requires. */
export type SizedBody = PutBody & { readonly length: number };

const utf8 = new TextEncoder();
const EMPTY = new Uint8Array(0);
const VALUE_TYPES = "ReadableStream or ArrayBuffer or ArrayBufferView or string or Blob";

/**
 * Converts a value as the binding does: a string as UTF-8, an `ArrayBuffer` or view as its bytes
 * (copied now: changing the buffer afterwards does not change what is stored), a `Blob` and a
 * stream as they are; `null` and `undefined` as an empty value where `nullable`.
 *
 * @param where `put on 'R2Bucket'` or `uploadPart on 'R2MultipartUpload'`, for the message
 * @throws {TypeError} for any other value, in the binding's words.
 */
export function toPutBody(value: unknown, where: { method: string; className: string; nullable: boolean }): PutBody {
  if (typeof value === "string") {
    const bytes = utf8.encode(value);
    return { kind: "bytes", bytes, length: bytes.byteLength };
  }
  if (value === null || value === undefined) {
    if (where.nullable) return { kind: "bytes", bytes: EMPTY, length: 0 };
  } else if (typeof value === "object") {
    if (value instanceof ArrayBuffer) return bytesBody(new Uint8Array(value.slice(0)));
    if (ArrayBuffer.isView(value)) return bytesBody(new Uint8Array(value.buffer, value.byteOffset, value.byteLength).slice());
    if (value instanceof Blob) return { kind: "blob", blob: value, length: value.size };
    if (typeof (value as ReadableStream).getReader === "function") {
      const stream = value as ReadableStream<unknown>;
      return { kind: "stream", stream, length: knownStreamLength(stream) };
    }
  }
  throw new TypeError(`Failed to execute '${where.method}' on '${where.className}': parameter 2 is not of type '${VALUE_TYPES}'.`);
}

/**
 * The binding's check that a stream has a known length (workerd's `doR2HTTPPutRequest`), made
 * after the options are converted, as in the runtime.
 *
 * @throws {TypeError} for a stream of unknown length, with the runtime's message.
 */
export function requireKnownLength(body: PutBody): SizedBody {
  if (body.length === undefined) {
    throw new TypeError(
      "Provided readable stream must have a known length (request/response body or readable half of FixedLengthStream)",
    );
  }
  return body as SizedBody;
}

/**
 * Releases a body that will not be stored: a stream is cancelled so its source stops producing,
 * as the runtime cancels it when a `put` fails before sending it.
 */
export function discardBody(body: PutBody | undefined, reason: unknown): void {
  if (body?.kind !== "stream") return;
  const stream = body.stream as ReadableStream<unknown>;
  if (!stream.locked) stream.cancel(reason).catch(() => {});
}

function bytesBody(bytes: Uint8Array): PutBody {
  return { kind: "bytes", bytes, length: bytes.byteLength };
}
