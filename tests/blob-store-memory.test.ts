import { describeBlobStore } from "@cellar/conformance";
import { createMemoryBlobStore, memoryBlobStoreCapabilities } from "@cellar/blob-store-memory";

// The memory store has no backdoor, so the suite checks "nothing stored" through sweep.
describeBlobStore({
  name: "blob-store-memory",
  capabilities: memoryBlobStoreCapabilities,
  async create({ clock }) {
    return { store: createMemoryBlobStore({ clock }), cleanup: async () => {} };
  },
});
