import { describeKVBulk, describeKVConcurrency, describeKVStorage, type KVNamespaceLike } from "@cellar/conformance";
import { kvSuiteOptions } from "../support/kv-fixtures.ts";

/**
 * Three Miniflare 4 deviations that cellar fixes, put back on top of the real namespace:
 * - K3: the put that commits last wins, not the one called last (each put is delayed by a
 *   time that shrinks with every call, so later calls overtake earlier ones);
 * - K9: bulk getWithMetadata returns falsy values bare instead of as { value, metadata };
 * - K5: a value whose blob is missing reads as null.
 */
function withMiniflareQuirks(kv: KVNamespaceLike): KVNamespaceLike {
  let calls = 0;
  const nullIfBlobMissing = <T>(read: Promise<T>): Promise<T | null> =>
    read.catch((error: { code?: string }) => {
      if (error?.code === "ERR_KV_BLOB_MISSING") return null;
      throw error;
    });
  return {
    get: (key, options) => nullIfBlobMissing(kv.get(key, options)),
    async getWithMetadata(key, options) {
      const result = await nullIfBlobMissing(kv.getWithMetadata(key, options));
      if (!(result instanceof Map)) return result ?? { value: null, metadata: null, cacheStatus: null };
      return new Map([...result].map(([name, entry]) => [name, entry && !entry.value ? entry.value : entry]));
    },
    async put(key, value, options) {
      const delay = Math.max(0, 30 - calls++);
      await new Promise((resolve) => setTimeout(resolve, delay));
      return kv.put(key, value, options);
    },
    delete: (key) => kv.delete(key),
    list: (options) => kv.list(options),
  };
}

const options = kvSuiteOptions({ blobs: "memory", engine: "native", database: "memory" }, { name: "Miniflare quirks", wrap: withMiniflareQuirks });
describeKVConcurrency(options);
describeKVBulk(options);
describeKVStorage(options);
