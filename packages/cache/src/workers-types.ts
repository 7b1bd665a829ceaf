import type { WorkersBodyStream } from "@cellar/blob-store";
/*
 * The Workers shapes of what the Cache API takes and returns, declared structurally so that a
 * cellar `CacheStorage` is assignable to `@cloudflare/workers-types`' `CacheStorage` (a type test
 * checks it) and still accepts Node's own `Request` and `Response`, without this package
 * depending on the Workers type definitions, whose globals clash with Node's.
 */

/** Request or response headers as the cache reads them: Node's or Workers' `Headers`. */
export interface CacheHeadersInit extends Iterable<[string, string]> {
  get(name: string): string | null;
}

/**
 * A request the cache accepts: Node's `Request`, a Workers `Request`, or any object with these
 * members. `cf.cacheKey`, when set, is the cache key instead of `url` (Node's `Request` has no
 * `cf`; assign one: `Object.assign(new Request(url), { cf: { cacheKey } })`).
 */
export interface CacheRequestLike {
  readonly url: string;
  readonly method: string;
  readonly headers: CacheHeadersInit;
  readonly cf?: unknown;
}

/** A request, or an absolute URL as a string or `URL`, as the Workers Cache API takes. */
export type CacheRequestInfo = CacheRequestLike | string | URL;

/** A response `put` accepts: Node's `Response`, a Workers `Response`, or any object with these members. */
export interface CacheResponseLike {
  readonly status: number;
  readonly headers: CacheHeadersInit;
  /** Read as a stream of bytes; `null` is an empty body. */
  readonly body: { getReader(): any; readonly locked: boolean } | null;
  readonly bodyUsed: boolean;
  /** `"error"` for `Response.error()`, which cannot be cached. */
  readonly type?: string;
}

/** Options of `match` and `delete`. */
export interface CacheQueryOptions {
  /** Match or delete whatever the request's method (HEAD, POST, ...), as if it were GET. */
  ignoreMethod?: boolean;
}

/** A response body stream (see `WorkersBodyStream`). */
export type CacheBodyStream = WorkersBodyStream;

/** Response headers as Workers has them: Node's `Headers` plus `getAll("Set-Cookie")`. */
export interface CacheResponseHeaders extends Omit<Headers, "forEach"> {
  /** Every `Set-Cookie` value; any other name throws a `TypeError`, as in Workers. */
  getAll(name: string): string[];
  forEach<This = unknown>(callback: (this: This, value: string, key: string, parent: CacheResponseHeaders) => void, thisArg?: This): void;
}

/** A `Blob` whose stream is a {@link CacheBodyStream}. */
export interface CacheBlob extends Omit<Blob, "stream" | "slice"> {
  stream(): CacheBodyStream;
  slice(start?: number, end?: number, contentType?: string): CacheBlob;
}

/**
 * What `match` resolves with: a Node `Response` (`instanceof Response` holds) with the members
 * Workers responses add (`webSocket: null`, `cf: undefined`, `headers.getAll`), so it fits where
 * a Workers `Response` is expected.
 */
export interface CacheResponse extends Omit<Response, "clone" | "headers" | "type" | "body" | "formData" | "blob"> {
  readonly type: "default";
  readonly headers: CacheResponseHeaders;
  readonly body: CacheBodyStream | null;
  readonly webSocket: null;
  readonly cf: undefined;
  clone(): CacheResponse;
  blob(): Promise<CacheBlob>;
  /** Typed loosely: Node's and Workers' `FormData` types differ in their `Blob` members. */
  formData(): Promise<any>;
}
