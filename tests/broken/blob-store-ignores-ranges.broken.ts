import { createMemoryBlobStore, memoryBlobStoreCapabilities } from "@cellar/blob-store-memory";
import { describeBlobStore } from "@cellar/conformance";

// Broken on purpose: single-range reads return the whole blob. The range tests must fail.
describeBlobStore({
  name: "broken: ignores ranges",
  capabilities: memoryBlobStoreCapabilities,
  async create({ clock }) {
    const inner = createMemoryBlobStore({ clock });
    return {
      store: { ...inner, get: (id) => inner.get(id), getBytes: (id) => inner.getBytes(id) },
      cleanup: async () => {},
    };
  },
});
