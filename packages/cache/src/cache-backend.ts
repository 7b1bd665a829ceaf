import type { SweepResult } from "@cellar/blob-store";
import type { CacheSweepOptions } from "./cache-storage-options.js";
import type { HeaderLookup } from "./conditional-request.js";
import type { ResponseBody } from "./response-body.js";

/** A response the binding decided to store. */
export interface PendingEntry {
  /** The response status. */
  readonly status: number;
  /** The headers to store (http-cache-semantics' `responseHeaders()`). */
  readonly headers: [string, string][];
  /** Epoch milliseconds at which the entry expires; may be fractional. */
  readonly expiration: number;
  /**
   * The response's `Content-Length`: a byte count, `undefined` when absent, `null` when present
   * but not a decimal byte count. A body that disagrees with it is not stored (spec C5).
   */
  readonly declaredLength: number | null | undefined;
}

/**
 * The storage half of one cache: what the binding calls once it has validated and decided.
 * `store`, `evict` and `delete` take the key's turn synchronously, when called (last call wins).
 */
export interface CacheBackend {
  /** The live entry under `key` as a response to `request` (conditionals, ranges), or `undefined`. */
  match(key: string, request: HeaderLookup): Promise<Response | undefined>;
  /** Streams `body` into a new entry under `key`, replacing any older one; stores nothing past the limits. */
  store(key: string, body: ResponseBody, entry: PendingEntry): Promise<void>;
  /** Drains `body`, then removes the entry under `key`: a response that is stale already replaces it with nothing. */
  evict(key: string, body: ResponseBody): Promise<void>;
  /** Drains `body` and changes nothing: the response is not storable. */
  discard(body: ResponseBody): Promise<void>;
  /** Removes the entry under `key`; true only when it existed and had not expired. */
  delete(key: string): Promise<boolean>;
  /** Removes every expired entry and its blob; resolves with how many. */
  purgeExpired(): Promise<number>;
  /** Removes every entry and its blob; resolves with how many (Miniflare's `DELETE /purge-all`). */
  purgeAll(): Promise<number>;
  /** Deletes orphan blobs older than the grace period. */
  sweep(options?: CacheSweepOptions): Promise<SweepResult>;
  /** Settles once every write called so far has committed or failed and its blob deletes have finished. */
  idle(): Promise<void>;
  /** Waits like `idle`, then releases the stores; later calls reject. */
  close(): Promise<void>;
}
