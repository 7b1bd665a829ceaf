import type { BlobBody, BlobPutOptions } from "@cellar/blob-store";
import { createMemoryBlobStore, memoryBlobStoreCapabilities } from "@cellar/blob-store-memory";
import { describeBlobStore } from "@cellar/conformance";

// Broken on purpose: keeps the caller's Uint8Array and hands that same buffer to every reader,
// so writers and readers can change the stored blob. The fresh-copy tests must fail.
describeBlobStore({
  name: "broken: shares buffers",
  capabilities: memoryBlobStoreCapabilities,
  async create({ clock }) {
    const inner = createMemoryBlobStore({ clock });
    const shared = new Map<string, Uint8Array>();
    return {
      store: {
        ...inner,
        async put(body: BlobBody, options?: BlobPutOptions) {
          const id = await inner.put(body, options);
          if (body instanceof Uint8Array) shared.set(id, body);
          return id;
        },
        async getBytes(id, range) {
          const buffer = shared.get(id);
          if (buffer && (await inner.stat(id)) && range === undefined) return buffer;
          return inner.getBytes(id, range);
        },
      },
      cleanup: async () => {},
    };
  },
});
