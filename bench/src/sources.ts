/** A stream of `total` bytes in `chunkSize` chunks, each a fresh buffer (as a network source gives). */
export function byteStream(total: number, chunkSize = 1 << 20): ReadableStream<Uint8Array> {
  let sent = 0;
  const pattern = new Uint8Array(chunkSize).map((_, i) => i & 0xff);
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= total) {
        controller.close();
        return;
      }
      const size = Math.min(chunkSize, total - sent);
      controller.enqueue(pattern.slice(0, size));
      sent += size;
    },
  });
}

/** Drains a web stream, returning the byte count. */
export async function drain(stream: ReadableStream<Uint8Array>): Promise<number> {
  let bytes = 0;
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) bytes += chunk.byteLength;
  return bytes;
}

export const MiB = 1 << 20;
