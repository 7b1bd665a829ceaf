import CachePolicy from "http-cache-semantics";
import type { Clock } from "@cellar/blob-store";
import { parseCacheControl } from "./cache-control.js";
import { defaultEdgeTtl } from "./edge-ttl.js";

/** What decides a `put`: the request's URL and headers, the response's status and headers (lower-case names). */
export interface StorageInput {
  readonly url: string;
  readonly requestHeaders: Readonly<Record<string, string>>;
  readonly status: number;
  readonly responseHeaders: Readonly<Record<string, string>>;
}

/** Whether and how long to store a response. */
export type StorageDecision =
  | { readonly storable: false }
  | {
      readonly storable: true;
      /** Milliseconds the entry stays fresh from now; 0 means it is stale already. May be fractional. */
      readonly ttl: number;
      /** The headers to store: http-cache-semantics' `responseHeaders()`, in order. */
      readonly headers: [string, string][];
    };

/** Decides storability and TTL of one response at the clock's current time. */
export type StorageDecider = (input: StorageInput) => StorageDecision;

const DAY_SECONDS = 24 * 3600;
/**
 * A shared cache. http-cache-semantics 4.1.1 compares `immutableMinTimeToLive` (default
 * `24 * 3600 * 1000`, meant as milliseconds) with lifetimes in seconds, so its `immutable` floor
 * is really 1000 days (in Miniflare too); given in seconds, it is the intended 24 hours.
 */
const POLICY_OPTIONS = { shared: true, immutableMinTimeToLive: DAY_SECONDS };

/**
 * Creates the storability and TTL rules of spec cache.md §3 and C1/C2, read at `clock`'s time.
 *
 * Like Miniflare, http-cache-semantics 4.1.1 decides as a **shared** cache, after rewrites that
 * mirror Cloudflare: the request's `Cache-Control` is dropped and its method taken as GET; a
 * response `Cache-Control` containing `private=set-cookie` has that directive removed (the whole
 * value lower-cased, as Miniflare does) and `Set-Cookie` deleted; any remaining `Set-Cookie`
 * makes the response unstorable. Then, unlike Miniflare:
 * - explicit freshness (`s-maxage` > `max-age` > `Expires − Date`, minus `Age`) wins (C1);
 * - without it, the default Edge TTL by status applies (C1), never the `Last-Modified`
 *   heuristic; statuses in that table (302, 303) are storable without explicit freshness, as in
 *   production; `no-cache`, `Pragma: no-cache` and `proxy-revalidate` mean TTL 0; `immutable`
 *   keeps Miniflare's 24 h floor;
 * - `stale-while-revalidate` and `stale-if-error` are ignored (C2).
 */
export function createStorageDecider(clock: Clock): StorageDecider {
  // http-cache-semantics reads the time only through `now()`: a subclass bound to our clock
  // replaces Miniflare's patching of the shared prototype.
  class ClockedPolicy extends CachePolicy {
    now(): number {
      return clock.now();
    }
  }
  return (input) => decide(ClockedPolicy, input);
}

function decide(Policy: typeof CachePolicy, input: StorageInput): StorageDecision {
  const requestHeaders: Record<string, string> = { ...input.requestHeaders };
  delete requestHeaders["cache-control"];
  const responseHeaders: Record<string, string> = { ...input.responseHeaders };
  const cacheControl = responseHeaders["cache-control"];
  if (cacheControl?.toLowerCase().includes("private=set-cookie")) {
    responseHeaders["cache-control"] = cacheControl.toLowerCase().replace(/private=set-cookie;?/i, "");
    delete responseHeaders["set-cookie"];
  }
  if ("set-cookie" in responseHeaders) return { storable: false };

  const request = { url: input.url, method: "GET", headers: requestHeaders };
  const policy = new Policy(request, { status: input.status, headers: responseHeaders }, POLICY_OPTIONS);
  const directives = parseCacheControl(responseHeaders["cache-control"]);
  const explicit = Boolean(directives["s-maxage"] || directives["max-age"] || responseHeaders.expires);
  const edgeTtl = defaultEdgeTtl(input.status);

  let storable = policy.storable();
  if (!storable && !explicit && edgeTtl !== undefined) {
    // The library refuses statuses that are not cacheable by default (302, 303) unless they
    // carry freshness; production caches them for the default Edge TTL. Asking again with a
    // stand-in `Expires` keeps every other rule (no-store, private, Authorization).
    const withFreshness = { status: input.status, headers: { ...responseHeaders, expires: "0" } };
    storable = new Policy(request, withFreshness, POLICY_OPTIONS).storable();
  }
  if (!storable) return { storable: false };

  const lifetime = explicit ? policy.maxAge() : implicitLifetime(directives, responseHeaders, edgeTtl);
  const ttl = Math.max(0, lifetime - policy.age()) * 1000;
  return { storable: true, ttl, headers: Object.entries(policy.responseHeaders()).map(([name, value]) => [name, String(value)]) };
}

/** Freshness lifetime in seconds of a response without explicit freshness (C1). */
function implicitLifetime(
  directives: ReturnType<typeof parseCacheControl>,
  headers: Readonly<Record<string, string>>,
  edgeTtl: number | undefined,
): number {
  // As http-cache-semantics: `Pragma: no-cache` counts only when there is no `Cache-Control`.
  const pragmaNoCache = headers["cache-control"] === undefined && /no-cache/.test(headers.pragma ?? "");
  if (directives["no-cache"] || pragmaNoCache || directives["proxy-revalidate"]) return 0;
  return Math.max((edgeTtl ?? 0) / 1000, directives.immutable ? DAY_SECONDS : 0);
}
