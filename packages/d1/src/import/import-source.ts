/** SQL text to import: a string, bytes, or chunks of either (a Node stream, a web `ReadableStream`, a generator). */
export type ImportD1Source =
  | string
  | Uint8Array
  | AsyncIterable<string | Uint8Array>
  | Iterable<string | Uint8Array>;

/**
 * The source as text chunks, decoding UTF-8 across chunk boundaries and dropping a leading byte
 * order mark. `onBytes` receives each chunk's size in bytes as it is read (for progress).
 */
export async function* textChunks(source: ImportD1Source, onBytes: (bytes: number) => void): AsyncGenerator<string, void, undefined> {
  const decoder = new TextDecoder("utf-8");
  let first = true;
  const chunks: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array> =
    typeof source === "string" || source instanceof Uint8Array ? [source] : source;
  for await (const chunk of chunks) {
    let text: string;
    if (typeof chunk === "string") {
      onBytes(Buffer.byteLength(chunk, "utf8"));
      text = first && chunk.charCodeAt(0) === 0xfeff ? chunk.slice(1) : chunk;
    } else if (chunk instanceof Uint8Array) {
      onBytes(chunk.byteLength);
      text = decoder.decode(chunk, { stream: true });
    } else {
      throw new TypeError(`importD1 reads strings and Uint8Arrays, got ${Object.prototype.toString.call(chunk)}`);
    }
    first = false;
    if (text !== "") yield text;
  }
  const rest = decoder.decode();
  if (rest !== "") yield rest;
}
