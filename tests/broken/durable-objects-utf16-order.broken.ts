import { describeDurableObjectKv, type DurableObjectStorageLike } from "@cellar/conformance";
import { withOverrides } from "../support/with-overrides.ts";
import { openDurableObjectFixture } from "../support/durable-objects-fixtures.ts";

/**
 * `list` in JavaScript string order (UTF-16 code units), as Miniflare's KV once listed
 * (cloudflare/miniflare#380): U+FFFF sorts after U+1F600 instead of before it. The real storage
 * lists the whole range (and validates the options); the wrapper re-sorts, then applies
 * `reverse` and `limit`. Everything else is the real storage.
 */
function listInUtf16Order(storage: DurableObjectStorageLike): DurableObjectStorageLike {
  return withOverrides(storage, {
    async list(options = {}) {
      await storage.list(options); // the real errors for bad options
      const { reverse, limit, ...range } = options as { reverse?: boolean; limit?: number };
      const entries = [...(await storage.list(range))].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      if (reverse === true) entries.reverse();
      return new Map(limit === undefined ? entries : entries.slice(0, Math.floor(limit)));
    },
  });
}

describeDurableObjectKv({
  name: "broken: lists in UTF-16 order",
  create: () => openDurableObjectFixture({ blobs: "memory", engine: "native", database: "memory" }, listInUtf16Order),
});
