/** A header lookup: a `Headers`, or anything with its `get`. */
export interface HeaderLookup {
  get(name: string): string | null;
}

/** `"x"` or `W/"x"`, surrounding whitespace ignored. */
const ETAG = /^(W\/)?"(.+)"$/;
/** RFC 9110 IMF-fixdate, the only date form compared: `Sun, 06 Nov 1994 08:49:37 GMT`. */
const IMF_FIXDATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d\d\d\d \d\d:\d\d:\d\d GMT$/;

/**
 * The opaque part of an entity tag, for the weak comparison `If-None-Match` always uses (so `W/`
 * is dropped); `undefined` when `value` is not a quoted tag.
 */
export function parseETag(value: string): string | undefined {
  return ETAG.exec(value.trim())?.[2];
}

/** Epoch milliseconds of a strict IMF-fixdate; `NaN` for any other form (an ISO date, say). */
export function parseImfFixdate(value: string): number {
  return IMF_FIXDATE.test(value) ? Date.parse(value) : Number.NaN;
}

/**
 * Whether a conditional `match` answers 304 Not Modified, checked in Miniflare's order (spec
 * cache.md §4):
 * 1. `If-None-Match`, when the stored `ETag` is a quoted tag: `*`, or any comma-separated entry
 *    equal to it under weak comparison;
 * 2. otherwise `If-Modified-Since`, when it and the stored `Last-Modified` are both strict
 *    IMF-fixdates and `Last-Modified <= If-Modified-Since`.
 */
export function isNotModified(request: HeaderLookup, stored: HeaderLookup): boolean {
  const ifNoneMatch = request.get("If-None-Match");
  const etagHeader = stored.get("ETag");
  if (ifNoneMatch !== null && etagHeader !== null) {
    const etag = parseETag(etagHeader);
    if (etag !== undefined) {
      if (ifNoneMatch.trim() === "*") return true;
      if (ifNoneMatch.split(",").some((candidate) => parseETag(candidate) === etag)) return true;
    }
  }
  const ifModifiedSince = request.get("If-Modified-Since");
  const lastModified = stored.get("Last-Modified");
  if (ifModifiedSince !== null && lastModified !== null) {
    // Comparisons with NaN (an unparsable date) are false: the full response is served.
    return parseImfFixdate(lastModified) <= parseImfFixdate(ifModifiedSince);
  }
  return false;
}
