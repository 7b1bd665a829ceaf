/**
 * Workers Sites asset URLs carry this path prefix; Miniflare never caches them, so edits to a
 * site are always served fresh locally.
 */
export const SITES_PATH_PREFIX = "/$__MINIFLARE_SITES__$/";

/** True when `url` is a Workers Sites asset URL, which the cache never stores or matches. */
export function isSitesUrl(url: string): boolean {
  // Parsing is the expensive part; almost no URL contains the marker at all.
  if (!url.includes("$__MINIFLARE_SITES__$")) return false;
  return URL.canParse(url) && new URL(url).pathname.startsWith(SITES_PATH_PREFIX);
}
