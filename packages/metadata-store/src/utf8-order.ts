/**
 * Compares two well-formed strings in UTF-8 byte order, which is code point order: the order of
 * SQLite's BINARY collation, and the order production KV, R2 and Durable Objects list keys in. JavaScript's `<` compares UTF-16 code units
 * instead, which puts U+FFFF after U+1F600 (cloudflare/miniflare#380).
 */
export function compareUtf8(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Code units order like code points, except that a surrogate (half of an astral code
    // point) must sort after every BMP code point, U+E000..U+FFFF included. Strings are
    // well-formed, so where one side has a low surrogate the other has one too.
    const xSurrogate = x >= 0xd800 && x <= 0xdfff;
    const ySurrogate = y >= 0xd800 && y <= 0xdfff;
    if (xSurrogate === ySurrogate) return x - y;
    return xSurrogate ? 1 : -1;
  }
  return a.length - b.length;
}

const MAX_CODE_POINT = 0x10ffff;

/**
 * The smallest string greater than every string that starts with `prefix`, in UTF-8 byte order:
 * the prefix with its last code point incremented (skipping the surrogate range, which has no
 * UTF-8 form). Trailing U+10FFFF code points cannot be incremented and are dropped first.
 * `undefined` when there is no such bound (an empty prefix, or only U+10FFFF).
 *
 * `key >= prefix AND key < bound` is then an index range scan that matches exactly the keys
 * starting with `prefix` byte for byte, NUL, `%` and `_` included, unlike `LIKE` or
 * `substr(key, 1, length(:prefix))`, where `length` stops at a NUL (spec K8).
 */
export function prefixUpperBound(prefix: string): string | undefined {
  let end = prefix.length;
  while (end > 0) {
    const last = prefix.codePointAt(end - 1)!;
    // A trailing low surrogate belongs to a pair: read the whole code point.
    const isPairTail = end >= 2 && last >= 0xdc00 && last <= 0xdfff && (prefix.charCodeAt(end - 2) & 0xfc00) === 0xd800;
    const start = isPairTail ? end - 2 : end - 1;
    const codePoint = prefix.codePointAt(start)!;
    if (codePoint < MAX_CODE_POINT) {
      const next = codePoint + 1 === 0xd800 ? 0xe000 : codePoint + 1;
      return prefix.slice(0, start) + String.fromCodePoint(next);
    }
    end = start;
  }
  return undefined;
}
