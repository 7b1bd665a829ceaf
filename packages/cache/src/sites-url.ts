/**
 * Workers Sites asset URLs carry this path prefix; Miniflare never caches them, so edits to a
 * site are always served fresh locally.
 */
export const SITES_PATH_PREFIX = "/$__MINIFLARE_SITES__$/";

/** True when `url` is a Workers Sites asset URL, which the cache never stores or matches. */
export function isSitesUrl(url: string): boolean {
  const path = URL.canParse(url) ? new URL(url).pathname : "";
  return path.startsWith(SITES_PATH_PREFIX);
}
