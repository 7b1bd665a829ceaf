/**
 * Reads chunks into one new `Uint8Array`, copying each chunk as it arrives: the result never
 * shares memory with the chunks, and a producer that reuses its buffers cannot change it.
 */
export async function collectBytes(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  let buffer = new Uint8Array(0);
  let length = 0;
  for await (const chunk of chunks) {
    if (length + chunk.byteLength > buffer.byteLength) {
      // Doubling keeps the total copying linear in the blob's size.
      const grown = new Uint8Array(Math.max(length + chunk.byteLength, buffer.byteLength * 2, 1024));
      grown.set(buffer.subarray(0, length));
      buffer = grown;
    }
    buffer.set(chunk, length);
    length += chunk.byteLength;
  }
  return length === buffer.byteLength ? buffer : buffer.slice(0, length);
}

/** Reads a whole stream into one new `Uint8Array`. Meant for small bodies and for tests. */
export async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return collectBytes(streamChunks(stream));
}

/**
 * Iterates a stream's chunks (Node 20's `ReadableStream` is async-iterable at runtime, but the
 * DOM typings do not say so). Stopping early cancels the stream.
 */
export async function* streamChunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array, void, undefined> {
  const reader = stream.getReader();
  let finished = false;
  try {
    while (true) {
      const result = await reader.read();
      if (result.done) {
        finished = true;
        return;
      }
      yield result.value;
    }
  } finally {
    if (!finished) reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}
