/**
 * The prefix of every Workers Sites key in the manifest. The Cache API never caches URLs under
 * `/$__MINIFLARE_SITES__$/`, so local edits to a site are always served fresh.
 */
export const SITES_KEY_PREFIX = "$__MINIFLARE_SITES__$/";

/**
 * The key under which `__STATIC_CONTENT_MANIFEST` lists a file: the prefix plus the path,
 * `encodeURIComponent`-encoded (so `@cloudflare/kv-asset-handler`'s ETags are byte strings).
 */
export function encodeSitesKey(path: string): string {
  return SITES_KEY_PREFIX + encodeURIComponent(path);
}

/**
 * The relative path a Sites key names: a manifest key loses its prefix and is decoded; any
 * other key is taken as a raw path (`sub/style.css`).
 *
 * @throws {URIError} for a manifest key with a malformed `%`-escape
 */
export function decodeSitesKey(key: string): string {
  return key.startsWith(SITES_KEY_PREFIX) ? decodeURIComponent(key.slice(SITES_KEY_PREFIX.length)) : key;
}
