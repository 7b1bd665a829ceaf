import type { Clock, SweepResult } from "@cellar/blob-store";
import type { CacheBackend } from "./cache-backend.js";
import { CACHE_ERROR_MESSAGES } from "./cache-errors.js";
import { headerRecord, toCacheRequest } from "./cache-request.js";
import type { CacheSweepOptions } from "./cache-storage-options.js";
import { ResponseBody } from "./response-body.js";
import { isSitesUrl } from "./sites-url.js";
import type { StorageDecider } from "./storage-decision.js";
import { asWorkersResponse } from "./workers-response.js";
import type { CacheQueryOptions, CacheRequestInfo, CacheResponse, CacheResponseLike } from "./workers-types.js";

/** A cache: the Workers `Cache` API plus maintenance. */
export interface CellarCache {
  /**
   * The live response stored under the request's key, or `undefined`. A non-GET request misses
   * unless `ignoreMethod`. The response has the stored status and headers, `CF-Cache-Status:
   * HIT` and the current `Age`; `If-None-Match` / `If-Modified-Since` give a 304 and `Range` a
   * 206 (one range, or `multipart/byteranges`) or a 416. An expired entry is deleted and misses.
   */
  match(request: CacheRequestInfo, options?: CacheQueryOptions): Promise<CacheResponse | undefined>;
  /**
   * Stores `response` under the request's key for as long as its caching headers allow, reading
   * its body as a stream. Resolves also when nothing was stored (not storable, too large, already
   * stale), as in Workers; a stale response removes the older entry.
   *
   * @throws {TypeError} (rejects) for a non-GET request, a 206 response, `Vary: *`, an error
   *   response, a used body or an invalid URL, with the runtime's messages.
   */
  put(request: CacheRequestInfo, response: CacheResponseLike): Promise<void>;
  /** Removes the entry under the request's key; `true` only if a live one was removed. A non-GET request returns `false` unless `ignoreMethod`. */
  delete(request: CacheRequestInfo, options?: CacheQueryOptions): Promise<boolean>;
  /**
   * Deletes every expired entry and its blob now; resolves with how many. Never needed for
   * correctness (expired entries are never served, and each `put` purges a bounded batch), only
   * to reclaim space at once (spec C3).
   */
  purgeExpired(): Promise<number>;
  /** Deletes every entry and its blob; resolves with how many (Miniflare's `DELETE /purge-all`). */
  purgeAll(): Promise<number>;
  /**
   * Deletes orphan blobs: files no entry references, older than `graceMs` (default one hour),
   * left by a crash between a blob write and its commit or by a failed blob delete (spec C7).
   */
  sweep(options?: CacheSweepOptions): Promise<SweepResult>;
  /**
   * Resolves once every write called so far has committed (or failed) and every blob it
   * replaced has been deleted. Writes resolve without waiting for those deletes; call this
   * before counting blob files.
   */
  idle(): Promise<void>;
}

/** What a cache gateway needs besides its backend. */
export interface CacheGatewayOptions {
  readonly clock: Clock;
  readonly decide: StorageDecider;
  /** Called at the start of every Cache API call (for `warnUsage`). */
  readonly onUse: () => void;
}

/**
 * Creates the binding half of one cache: it converts and validates arguments exactly as the
 * Workers runtime does, decides storability, and hands the rest to `backend`. Every method
 * returns a promise; nothing throws synchronously.
 */
export function createCacheGateway(backend: CacheBackend, options: CacheGatewayOptions): CellarCache {
  const { clock, decide, onUse } = options;
  return {
    match(request, queryOptions) {
      return settle(async () => {
        onUse();
        const { url, key, method, headers } = toCacheRequest(request);
        if (method !== "GET" && !queryOptions?.ignoreMethod) return undefined;
        // Never serve Workers Sites assets from the cache: local edits must show at once.
        if (isSitesUrl(url)) return undefined;
        const response = await backend.match(key, headers);
        return response && asWorkersResponse(response);
      });
    },

    put(request, response) {
      return settle(() => {
        onUse();
        if (typeof response !== "object" || response === null || typeof response.headers?.get !== "function") {
          throw new TypeError("Failed to execute 'put' on 'Cache': parameter 2 is not of type 'Response'.");
        }
        if (response.type === "error") throw new TypeError(CACHE_ERROR_MESSAGES.errorResponse);
        const { url, key, method, headers: requestHeaders } = toCacheRequest(request);
        if (method !== "GET") throw new TypeError(CACHE_ERROR_MESSAGES.nonGetPut);
        if (response.status === 206) throw new TypeError(CACHE_ERROR_MESSAGES.partialContent);
        if (response.headers.get("Vary")?.includes("*")) throw new TypeError(CACHE_ERROR_MESSAGES.varyStar);
        // The runtime silently drops 304s: caching one would answer later plain requests with it.
        if (response.status === 304) return Promise.resolve();
        if (response.bodyUsed || response.body?.locked) throw new TypeError(CACHE_ERROR_MESSAGES.bodyUsed);
        // Everything up to here is synchronous: the body is taken now, and so is the key's turn
        // below, so of concurrent puts to one URL the one called last wins.
        const body = new ResponseBody(response.body);
        if (isSitesUrl(url)) return backend.discard(body);
        const responseHeaders = headerRecord(response.headers);
        const decision = decide({ url, requestHeaders: headerRecord(requestHeaders), status: response.status, responseHeaders });
        if (!decision.storable) return backend.discard(body);
        if (decision.ttl <= 0) return backend.evict(key, body);
        return backend.store(key, body, {
          status: response.status,
          headers: decision.headers,
          expiration: clock.now() + decision.ttl,
          declaredLength: parseContentLength(responseHeaders["content-length"]),
        });
      });
    },

    delete(request, queryOptions) {
      return settle(async () => {
        onUse();
        const { key, method } = toCacheRequest(request);
        if (method !== "GET" && !queryOptions?.ignoreMethod) return false;
        return backend.delete(key);
      });
    },

    purgeExpired: () => backend.purgeExpired(),
    purgeAll: () => backend.purgeAll(),
    sweep: (sweepOptions) => backend.sweep(sweepOptions),
    idle: () => backend.idle(),
  };
}

/** Runs `operation`, turning a synchronous throw into a rejection, as the runtime's async API does. */
function settle<T>(operation: () => T | Promise<T>): Promise<T> {
  try {
    return Promise.resolve(operation());
  } catch (error) {
    return Promise.reject(error);
  }
}

/** A `Content-Length` value: its byte count, `undefined` when absent, `null` when not a decimal count. */
function parseContentLength(value: string | undefined): number | null | undefined {
  if (value === undefined) return undefined;
  return /^\s*\d+\s*$/.test(value) ? Number(value) : null;
}
