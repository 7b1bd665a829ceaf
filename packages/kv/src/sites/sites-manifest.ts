import { SitesDirectory } from "./sites-directory.js";
import { createSitesFilter, type SitesFilterOptions } from "./sites-filter.js";
import { encodeSitesKey } from "./sites-key.js";

/** Options of {@link createSitesManifest}. */
export interface SitesManifestOptions extends SitesFilterOptions {
  /** The site's directory (`sitePath`). */
  readonly root: string;
}

/**
 * The `__STATIC_CONTENT_MANIFEST` of a Workers Sites directory: each file's relative POSIX path
 * mapped to its key, `"$__MINIFLARE_SITES__$/" + encodeURIComponent(path)`. Built by walking the
 * directory now; dotfiles are included (although `get` will not serve them, as in Miniflare);
 * files the include/exclude globs filter out are not.
 *
 * @throws {TypeError} when `root` is not an existing directory
 */
export function createSitesManifest(options: SitesManifestOptions): Record<string, string> {
  return buildSitesManifest(new SitesDirectory(options.root), createSitesFilter(options));
}

/** @internal The manifest of an already opened directory. */
export function buildSitesManifest(directory: SitesDirectory, filter: (path: string) => boolean): Record<string, string> {
  const manifest: Record<string, string> = {};
  for (const path of directory.walk(true)) if (filter(path)) manifest[path] = encodeSitesKey(path);
  return manifest;
}
