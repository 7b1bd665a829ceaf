import { createMemoryBlobStore, memoryBlobStoreCapabilities } from "@cellar/blob-store-memory";
import { describeBlobStore } from "@cellar/conformance";

// Broken on purpose: sweep never asks isReferenced and deletes every old blob, including
// referenced ones. The sweep tests must fail.
describeBlobStore({
  name: "broken: sweeps referenced blobs",
  capabilities: memoryBlobStoreCapabilities,
  async create({ clock }) {
    const inner = createMemoryBlobStore({ clock });
    return {
      store: { ...inner, sweep: ({ olderThan }) => inner.sweep({ olderThan, isReferenced: () => false }) },
      cleanup: async () => {},
    };
  },
});
