/**
 * Compares two strings in UTF-8 byte order, the order of SQLite's BINARY collation and of R2
 * listings (`Z` < `a` < `é`). JavaScript's `<` compares UTF-16 code units instead, which puts
 * U+FFFF after U+1F600.
 */
export function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

const MAX_CODE_POINT = 0x10ffff;

/**
 * The smallest string greater than every string that starts with `prefix`, in UTF-8 byte order:
 * the prefix with its last code point incremented (skipping the surrogate range, which has no
 * UTF-8 form); trailing U+10FFFF code points cannot be incremented and are dropped first.
 * `undefined` when there is no such bound (an empty prefix, or only U+10FFFF).
 *
 * `key >= prefix AND key < bound` is an index range scan matching exactly the keys that start
 * with `prefix` byte for byte, NUL, `%` and `_` included, unlike `LIKE` or
 * `substr(key, 1, length(:prefix))`, where `length` stops at a NUL (spec R9).
 */
export function prefixUpperBound(prefix: string): string | undefined {
  let end = prefix.length;
  while (end > 0) {
    const low = prefix.charCodeAt(end - 1);
    // A trailing low surrogate after a high one is the second half of one code point.
    const pair = end >= 2 && low >= 0xdc00 && low <= 0xdfff && (prefix.charCodeAt(end - 2) & 0xfc00) === 0xd800;
    const start = pair ? end - 2 : end - 1;
    const codePoint = prefix.codePointAt(start)!;
    if (codePoint < MAX_CODE_POINT) {
      const next = codePoint + 1 === 0xd800 ? 0xe000 : codePoint + 1;
      return prefix.slice(0, start) + String.fromCodePoint(next);
    }
    end = start;
  }
  return undefined;
}
