import { describeKVBulk, describeKVConcurrency, describeKVStorage, type KVNamespaceLike } from "@cellar/conformance";
import { kvSuiteOptions } from "../support/kv-fixtures.ts";

/**
 * Three Miniflare 4 deviations that cellar fixes, put back on top of the real namespace:
 * - K3: the put that commits last wins, not the one called last (puts called in one
 *   synchronous burst are replayed in reverse order, so the first call commits last);
 * - K9: bulk getWithMetadata returns falsy values bare instead of as { value, metadata };
 * - K5: a value whose blob is missing reads as null.
 */
function withMiniflareQuirks(kv: KVNamespaceLike): KVNamespaceLike {
  // Not timers racing each other: under load those can fire in call order and hide the flaw.
  let burst: (() => Promise<void>)[] | undefined;
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
    put(key, value, options) {
      return new Promise<void>((resolve, reject) => {
        if (burst === undefined) {
          const calls: (() => Promise<void>)[] = (burst = []);
          setTimeout(async () => {
            burst = undefined;
            for (const call of calls.reverse()) await call();
          }, 0);
        }
        burst.push(() => kv.put(key, value, options).then(resolve, reject));
      });
    },
    delete: (key) => kv.delete(key),
    list: (options) => kv.list(options),
  };
}

const options = kvSuiteOptions({ blobs: "memory", engine: "native", database: "memory" }, { name: "Miniflare quirks", wrap: withMiniflareQuirks });
describeKVConcurrency(options);
describeKVBulk(options);
describeKVStorage(options);
