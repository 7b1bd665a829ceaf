import type { KVValueType } from "./get-options.js";
import type { WorkersBodyStream } from "@cellar/blob-store";

/** A value read as a stream (see `WorkersBodyStream`). */
export type KVValueStream = WorkersBodyStream;

// Keep a leading U+FEFF: the runtime decodes bytes to a string without BOM sniffing.
const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });

/** Decodes a value read into memory as `text`, `json` or `arrayBuffer`. */
export function decodeBytes(bytes: Uint8Array, type: Exclude<KVValueType, "stream">): unknown {
  if (type === "arrayBuffer") return toArrayBuffer(bytes);
  const text = utf8.decode(bytes);
  // A value that is not JSON throws SyntaxError, as in Workers.
  return type === "json" ? JSON.parse(text) : text;
}

/** Decodes bytes as UTF-8 text, keeping a BOM and replacing invalid sequences with U+FFFD. */
export function decodeText(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}

/** An `ArrayBuffer` holding exactly `bytes`, without copying when `bytes` already spans one. */
function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const { buffer } = bytes;
  if (buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength) return buffer;
  return bytes.slice().buffer as ArrayBuffer;
}

/** A one-chunk stream over bytes already in memory. */
export function bytesToStream(bytes: Uint8Array): KVValueStream {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      if (bytes.byteLength > 0) controller.enqueue(bytes);
      controller.close();
    },
  }) as KVValueStream;
}
