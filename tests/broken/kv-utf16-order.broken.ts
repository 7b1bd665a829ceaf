import { describeKVList, type KVListResultLike, type KVNamespaceLike } from "@cellar/conformance";
import { kvSuiteOptions } from "../support/kv-fixtures.ts";

/**
 * Lists in JavaScript string order (UTF-16 code units), as Miniflare once did
 * (cloudflare/miniflare#380): U+FFFF sorts after U+1F600. Everything else is the real namespace.
 */
function listInUtf16Order(kv: KVNamespaceLike): KVNamespaceLike {
  return {
    get: (key, options) => kv.get(key, options),
    getWithMetadata: (key, options) => kv.getWithMetadata(key, options),
    put: (key, value, options) => kv.put(key, value, options),
    delete: (key) => kv.delete(key),
    async list(options = {}) {
      const { prefix, limit, cursor } = options as { prefix?: string; limit?: number; cursor?: string };
      const all: KVListResultLike["keys"] = [];
      let page: KVListResultLike | undefined;
      do {
        page = await kv.list({ prefix, cursor: page?.cursor });
        all.push(...page.keys);
      } while (!page.list_complete);
      all.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const after = cursor ? Buffer.from(cursor, "base64").toString() : "";
      const start = after === "" ? 0 : all.findIndex((key) => key.name > after);
      const size = limit && limit > 0 ? Math.trunc(limit) : 1000;
      const keys = all.slice(start < 0 ? all.length : start, (start < 0 ? all.length : start) + size);
      const more = (start < 0 ? all.length : start) + size < all.length;
      return more
        ? { keys, list_complete: false, cursor: Buffer.from(keys[keys.length - 1]!.name).toString("base64"), cacheStatus: null }
        : { keys, list_complete: true, cacheStatus: null };
    },
  };
}

describeKVList(kvSuiteOptions({ blobs: "memory", engine: "native", database: "memory" }, { name: "lists in UTF-16 order", wrap: listInUtf16Order }));
