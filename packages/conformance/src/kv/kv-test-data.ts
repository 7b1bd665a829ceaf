const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { ignoreBOM: true });

/** UTF-8 bytes of `text`. */
export function utf8(text: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(text);
}

/** `bytes` as text. */
export function text(bytes: Uint8Array | ArrayBuffer): string {
  return decoder.decode(bytes);
}

/** `length` deterministic bytes, different for each `seed`. */
export function patternBytes(length: number, seed = 0): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 31 + seed * 7 + (i >> 8)) & 0xff;
  return bytes;
}

/** A stream of the given chunks; with `delayMs`, each chunk arrives after that many milliseconds. */
export function streamOf(chunks: readonly Uint8Array[], delayMs = 0): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      const chunk = chunks[index++];
      if (chunk === undefined) controller.close();
      else controller.enqueue(chunk);
    },
  });
}

/** `bytes` cut into chunks of at most `size`. */
export function chunked(bytes: Uint8Array, size: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.byteLength; offset += size) chunks.push(bytes.slice(offset, offset + size));
  return chunks;
}

/** Reads a stream to the end. */
export async function readStream(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const reader = stream.getReader();
  const parts: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    length += value.byteLength;
  }
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.byteLength;
  }
  return bytes;
}

/** Reads every page of a listing, following cursors; returns the names. */
export async function listAllNames(kv: { list(options?: unknown): Promise<{ keys: { name: string }[]; list_complete: boolean; cursor?: string }> }, options: Record<string, unknown> = {}): Promise<string[]> {
  const names: string[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await kv.list({ ...options, cursor });
    names.push(...page.keys.map((key) => key.name));
    if (page.list_complete) return names;
    cursor = page.cursor;
  }
}

/** The spec's example key order (kv.md §3): UTF-8 byte order. */
export const ORDERED_KEYS: readonly string[] = [
  " ", "A", "B", "_", "a", "a/", "a/b", "a0", "ab", "b", "e", "~", "é", "｡", "\uFFFF", "😀",
];
