import type { SweepResult } from "@cellar/blob-store";
import type { CacheBackend } from "./cache-backend.js";
import type { ResponseBody } from "./response-body.js";

const NOTHING_SWEPT: SweepResult = Object.freeze({ deletedBlobs: 0, deletedPartials: 0, freedBytes: 0 });

/**
 * Miniflare's `cache: false` mode: every `match` misses (its 504 `cf-cache-status: MISS`), every
 * `put` drains its body and stores nothing (its 204), every `delete` finds nothing (its 404).
 * Bodies are still consumed so a caller's stream is never left hanging.
 */
export function createNoopCacheBackend(): CacheBackend {
  const drain = async (body: ResponseBody): Promise<void> => {
    await body.drain();
  };
  return {
    match: async () => undefined,
    store: (_key, body) => drain(body),
    evict: (_key, body) => drain(body),
    discard: drain,
    delete: async () => false,
    purgeExpired: async () => 0,
    purgeAll: async () => 0,
    sweep: async () => NOTHING_SWEPT,
    idle: async () => {},
    close: async () => {},
  };
}
