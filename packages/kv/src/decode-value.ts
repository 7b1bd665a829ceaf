import type { KVValueType } from "./get-options.js";

/**
 * The stream a `get(key, "stream")` returns: Node's web `ReadableStream`, which is
 * async-iterable as in Workers. Calls resolve to the DOM signatures first; the loose trailing
 * overloads only let the type be assigned where Workers' own `ReadableStream` is expected, whose
 * reader and pipe types differ in detail from the DOM's.
 */
export type KVValueStream = ReadableStream<Uint8Array> & {
  values(options?: { preventCancel?: boolean }): AsyncIterableIterator<Uint8Array>;
  [Symbol.asyncIterator](options?: { preventCancel?: boolean }): AsyncIterableIterator<Uint8Array>;
  getReader(): any;
  getReader(options: { mode: "byob" }): any;
  pipeThrough(transform: any, options?: any): any;
  pipeTo(destination: any, options?: any): Promise<void>;
  tee(): [any, any];
};

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
