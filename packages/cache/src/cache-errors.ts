/**
 * The messages of the `TypeError`s the Workers runtime throws from the Cache API, byte for byte
 * (spec cache.md §2, workerd's `cache.c++`). Code written against the runtime compares them.
 */
export const CACHE_ERROR_MESSAGES = Object.freeze({
  /** `put` with a request whose method is not GET. */
  nonGetPut: "Cannot cache response to non-GET request.",
  /** `put` of a 206 response. */
  partialContent: "Cannot cache response to a range request (206 Partial Content).",
  /** `put` of a response whose `Vary` header contains `*`. */
  varyStar: "Cannot cache response with 'Vary: *' header.",
  /** `put` of `Response.error()`. */
  errorResponse: "Cache is unable to store an error response",
  /** `put` of a response whose body was already read or is locked. */
  bodyUsed: "Body has already been used. It can only be used once. Use tee() first if you need to read it twice.",
  /** A key that is not an absolute URL. */
  invalidUrl: "Invalid URL. Cache API keys must be fully-qualified, valid URLs.",
  /** `caches.open(name)` with a name of 1024 UTF-8 bytes or more. */
  nameTooLong: "Cache name is too long.",
  /** A response body stream that yields something other than bytes. */
  notBytes: "This ReadableStream did not return bytes.",
} as const);

/** A call on a cache storage (or one of its caches) after `close()`. */
export class CacheClosedError extends Error {
  /** Stable code to branch on. */
  readonly code = "ERR_CACHE_CLOSED";
  constructor() {
    super("The cache storage is closed");
    this.name = "CacheClosedError";
  }
}
