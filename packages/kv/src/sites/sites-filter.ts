import globToRegExp from "glob-to-regexp";

/** Which files of a Workers Sites directory are served. */
export interface SitesFilterOptions {
  /** Globs of files to serve; when any are given, only these apply and `exclude` is ignored. */
  readonly include?: readonly string[];
  /** Globs of files not to serve, when there is no `include`. */
  readonly exclude?: readonly string[];
}

/** Globs compiled to regular expressions; a glob starting with `!` is an exception to the others. */
interface Matcher {
  readonly include: readonly RegExp[];
  readonly exclude: readonly RegExp[];
}

/**
 * Builds the filter Miniflare applies to Workers Sites paths (relative, POSIX separators):
 *
 * - Globs become regular expressions with globstar semantics (`*` stays within a path segment,
 *   `**` spans segments) and are unanchored: `*.txt` matches `a.txt` and `sub/a.txt`, and
 *   `sub` matches anything containing `sub`.
 * - In a list, a glob starting with `!` is an exception: a path it matches is not matched.
 * - With any `include` globs, a path passes when they match it and `exclude` is ignored
 *   (include wins); otherwise with `exclude` globs, when they do not; otherwise always.
 */
export function createSitesFilter(options: SitesFilterOptions = {}): (path: string) => boolean {
  const include = options.include && options.include.length > 0 ? toMatcher(options.include) : undefined;
  const exclude = options.exclude && options.exclude.length > 0 ? toMatcher(options.exclude) : undefined;
  if (include !== undefined) return (path) => matches(include, path);
  if (exclude !== undefined) return (path) => !matches(exclude, path);
  return () => true;
}

function toMatcher(globs: readonly string[]): Matcher {
  const include: RegExp[] = [];
  const exclude: RegExp[] = [];
  for (const glob of globs) {
    if (typeof glob !== "string") throw new TypeError(`Workers Sites globs must be strings, got ${typeof glob}`);
    const negated = glob.startsWith("!");
    // The "g" flag drops the ^ and $ anchors; the expression is rebuilt without it so `test`
    // keeps no `lastIndex` state between calls.
    const regExp = new RegExp(globToRegExp(negated ? glob.slice(1) : glob, { globstar: true, flags: "g" }).source);
    (negated ? exclude : include).push(regExp);
  }
  return { include, exclude };
}

function matches(matcher: Matcher, path: string): boolean {
  for (const regExp of matcher.exclude) if (regExp.test(path)) return false;
  for (const regExp of matcher.include) if (regExp.test(path)) return true;
  return false;
}
