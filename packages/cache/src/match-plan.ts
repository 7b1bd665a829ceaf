import type { ByteRange } from "@cellar/blob-store";
import { isNotModified, type HeaderLookup } from "./conditional-request.js";
import { parseRanges } from "./parse-ranges.js";

/** What a hit answers, before any body is read. */
export type MatchPlan =
  /** 304 with the stored headers and no body. */
  | { readonly kind: "not-modified" }
  /** 416 with `Content-Range: bytes *\/<size>`. */
  | { readonly kind: "unsatisfiable" }
  /** The stored status and the whole body. */
  | { readonly kind: "full" }
  /** 206 with one range and its `Content-Length`. */
  | { readonly kind: "single"; readonly range: ByteRange }
  /** 206 `multipart/byteranges` with several ranges and no `Content-Length`. */
  | { readonly kind: "multiple"; readonly ranges: readonly ByteRange[] };

/**
 * Decides how a hit answers `request` (spec cache.md §4): `If-None-Match`, then
 * `If-Modified-Since` (304), then `Range` against the stored `size` (206 or 416). Conditionals
 * come first, as HTTP orders them: a 304 never depends on the range.
 */
export function planMatch(request: HeaderLookup, stored: HeaderLookup, size: number): MatchPlan {
  if (isNotModified(request, stored)) return { kind: "not-modified" };
  const range = request.get("Range");
  if (range === null) return { kind: "full" };
  const ranges = parseRanges(range, size);
  if (ranges === undefined) return { kind: "unsatisfiable" };
  if (ranges.length === 0) return { kind: "full" };
  if (ranges.length === 1) return { kind: "single", range: ranges[0]! };
  return { kind: "multiple", ranges };
}

/**
 * The `Age` of a hit, in whole seconds: the `Age` stored at `put` plus the time since the put,
 * which is the stored `Date` (set to the put time, to the second). Miniflare keeps the put-time
 * value; a cache that has held a response for a while reports it, as production's does. When
 * the stored `Date` is missing or unparsable, the stored `Age` is kept.
 */
export function currentAge(stored: HeaderLookup, now: number): string | undefined {
  const storedAge = stored.get("Age");
  const base = storedAge === null ? 0 : Number.parseInt(storedAge, 10);
  const date = Date.parse(stored.get("Date") ?? "");
  if (!Number.isFinite(date) || !Number.isFinite(base)) return storedAge ?? undefined;
  return String(Math.max(0, base) + Math.max(0, Math.floor((now - date) / 1000)));
}
