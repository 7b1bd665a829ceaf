import { collectBytes, type BlobBody, type BlobPutOptions } from "@cellar/blob-store";
import { createMemoryBlobStore, memoryBlobStoreCapabilities } from "@cellar/blob-store-memory";
import { describeBlobStore } from "@cellar/conformance";

// Broken on purpose: when a body stream itself fails, it keeps what had been read as a blob
// before rejecting, as a file store that forgets to remove its partial file would. The
// failed-write tests must fail.
describeBlobStore({
  name: "broken: keeps partial writes",
  capabilities: memoryBlobStoreCapabilities,
  async create({ clock }) {
    const inner = createMemoryBlobStore({ clock });
    return {
      store: {
        ...inner,
        async put(body: BlobBody, options?: BlobPutOptions) {
          if (!(body instanceof ReadableStream)) return inner.put(body, options);
          const received: Uint8Array[] = [];
          const reader = body.getReader();
          const recording = new ReadableStream<Uint8Array>(
            {
              async pull(controller) {
                const { done, value } = await reader.read();
                if (done) return controller.close();
                received.push(value.slice());
                controller.enqueue(value);
              },
              cancel: (reason) => reader.cancel(reason),
            },
            { highWaterMark: 0 },
          );
          try {
            return await inner.put(recording, options);
          } catch (error) {
            // Errors of the store itself carry a code; anything else came from the stream.
            if (!(error as { code?: string }).code) await inner.put(await collectBytes(toAsync(received)));
            throw error;
          }
        },
      },
      cleanup: async () => {},
    };
  },
});

async function* toAsync(chunks: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  yield* chunks;
}
