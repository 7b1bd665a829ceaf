/** Path segments made only of dots, delimited by the start, `/`, `\` or the end. */
const DOT_SEGMENT = /(^|[/\\])(\.+)(?=[/\\]|$)/g;
/** Characters Windows forbids in file names, plus C0 and C1 control characters. */
const ILLEGAL_CHARACTERS = /[?<>*"'^/\\:|\u0000-\u001f\u0080-\u009f]/g;
/** Windows device names, with or without an extension. */
const RESERVED_NAME = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;
const LEADING_RUN = /^[ /\\]+/;
const TRAILING_RUN = /[ /\\]+$/;

/**
 * Miniflare's `sanitisePath` (on-disk-layout §7), which named the directory of a database's
 * legacy `db.sqlite`. `@cellar/blob-store` exports the same function for blob directories; D1
 * has no blobs, so it keeps this copy rather than depending on the blob store for one function.
 */
export function sanitisePath(name: string): string {
  let result = name;
  // Twice, as Miniflare does: neighbouring dot segments share a delimiter.
  for (let pass = 0; pass < 2; pass++) {
    result = result.replace(DOT_SEGMENT, (_match, delimiter: string, dots: string) => delimiter + "_".repeat(dots.length));
  }
  result = result.replace(ILLEGAL_CHARACTERS, "_");
  if (RESERVED_NAME.test(result)) result = "_";
  result = result.replace(LEADING_RUN, (run) => "_".repeat(run.length)).replace(TRAILING_RUN, (run) => "_".repeat(run.length));
  return result.slice(0, 255);
}
