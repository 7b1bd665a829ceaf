import { describeDurableObjectKv, type DurableObjectStorageLike } from "@cellar/conformance";
import { withOverrides } from "../support/with-overrides.ts";
import { openDurableObjectFixture } from "../support/durable-objects-fixtures.ts";

/**
 * `put(entries)` that writes the entries one by one, each committed before the next is even
 * serialized: a value that cannot be cloned rejects the call, but the entries before it stay.
 * `put(key, value)` and everything else is the real storage.
 */
function putOneByOne(storage: DurableObjectStorageLike): DurableObjectStorageLike {
  return withOverrides(storage, {
    async put(...args: [unknown, unknown?, unknown?]) {
      const [keyOrEntries, options] = args;
      if (keyOrEntries === null || typeof keyOrEntries !== "object" || Array.isArray(keyOrEntries)) return storage.put(...args);
      for (const [key, value] of Object.entries(keyOrEntries)) {
        if (value !== undefined) await storage.put(key, value, options);
      }
    },
  });
}

describeDurableObjectKv({
  name: "broken: puts entries one by one",
  create: () => openDurableObjectFixture({ blobs: "memory", engine: "native", database: "memory" }, putOneByOne),
});
