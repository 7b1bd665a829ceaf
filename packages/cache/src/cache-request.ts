import { CACHE_ERROR_MESSAGES } from "./cache-errors.js";
import type { HeaderLookup } from "./conditional-request.js";
import type { CacheHeadersInit, CacheRequestInfo } from "./workers-types.js";

/** A `match`, `put` or `delete` argument, normalised. */
export interface CacheRequest {
  /** The request URL. */
  readonly url: string;
  /** What the entry is stored under: `String(cf.cacheKey)` when set, otherwise `url`. */
  readonly key: string;
  /** Upper-case method; GET for a URL. */
  readonly method: string;
  /** The request's headers (none for a URL). */
  readonly headers: HeaderLookup & CacheHeadersInit;
}

const NO_HEADERS = new Headers();

/**
 * Normalises what the Cache API takes: an absolute URL (a string, normalised as `new
 * Request(url).url` would be, or a `URL`), or a request. The key is the request's
 * `cf.cacheKey` when it is set (truthy), as in the runtime, else its URL; method, `Vary` and
 * headers are never part of the key.
 *
 * @throws {TypeError} `Invalid URL. Cache API keys must be fully-qualified, valid URLs.`
 */
export function toCacheRequest(input: CacheRequestInfo): CacheRequest {
  if (input instanceof URL) return { url: input.href, key: input.href, method: "GET", headers: NO_HEADERS };
  if (typeof input === "string") {
    const url = URL.parse(input)?.href;
    if (url === undefined) throw new TypeError(CACHE_ERROR_MESSAGES.invalidUrl);
    return { url, key: url, method: "GET", headers: NO_HEADERS };
  }
  if (typeof input !== "object" || input === null || typeof input.url !== "string") {
    throw new TypeError(CACHE_ERROR_MESSAGES.invalidUrl);
  }
  if (!URL.canParse(input.url)) throw new TypeError(CACHE_ERROR_MESSAGES.invalidUrl);
  const cacheKey = (input.cf as { cacheKey?: unknown } | null | undefined)?.cacheKey;
  return {
    url: input.url,
    key: cacheKey ? String(cacheKey) : input.url,
    method: String(input.method ?? "GET").toUpperCase(),
    headers: input.headers ?? NO_HEADERS,
  };
}

/**
 * Headers as one lower-case name → value record, as http-cache-semantics reads them (Miniflare's
 * `normaliseHeaders`): a repeated header keeps its last value, which is enough for the headers
 * that decide cacheability.
 */
export function headerRecord(headers: CacheHeadersInit): Record<string, string> {
  const record: Record<string, string> = {};
  for (const [name, value] of headers) record[name.toLowerCase()] = value;
  return record;
}
