import { join } from "node:path";

/** Path segments made only of dots, delimited by the start, `/`, `\` or the end. */
const DOT_SEGMENT = /(^|[/\\])(\.+)(?=[/\\]|$)/g;
/** Characters Windows forbids in file names, plus C0 and C1 control characters. */
const ILLEGAL_CHARACTERS = /[?<>*"'^/\\:|\u0000-\u001f\u0080-\u009f]/g;
/** Windows device names, with or without an extension. */
const RESERVED_NAME = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;
const LEADING_RUN = /^[ /\\]+/;
const TRAILING_RUN = /[ /\\]+$/;
const MAX_LENGTH = 255;

/**
 * Miniflare's `sanitisePath`: turns a namespace name (a KV namespace id, an R2 bucket name, a
 * cache name) into the directory name `wrangler dev` keeps its blobs under. The steps and their
 * order are Miniflare's, so the directory is the same one; e.g. `named:mycache` → `named_mycache`,
 * `x/../y` → `x____y`, `con.txt` → `_`. Distinct names can collide (`a:b`, `a/b`), as they do in
 * Miniflare.
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
  return result.slice(0, MAX_LENGTH);
}

/**
 * The blob directory of one namespace under a persist root, as `wrangler dev` lays it out:
 * `<root>/<product>/<sanitisePath(namespace)>/blobs`. Pass it as `root` to the fs blob store.
 */
export function namespaceBlobDirectory(persistRoot: string, product: string, namespace: string): string {
  return join(persistRoot, product, sanitisePath(namespace), "blobs");
}
