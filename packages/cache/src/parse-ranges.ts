import type { ByteRange } from "@cellar/blob-store";

/** `bytes`, case-insensitive, with optional spaces before and around `=`. */
const RANGE_UNIT = /^ *bytes *=/i;
/** One item: optional start, `-`, optional end, spaces allowed around each. */
const RANGE_ITEM = /^ *(?<start>\d+)? *- *(?<end>\d+)? *$/;

/**
 * Parses an HTTP `Range` header against a body of `size` bytes, with Miniflare's rules (spec
 * cache.md §4), which the Cache API uses and R2's `Range` header form shares:
 *
 * - `undefined`: not satisfiable (answer 416 `Content-Range: bytes *\/<size>`). That is any
 *   unit other than `bytes`, a malformed item, `s-e` with `s > e` or `s >= size`, and `s-` with
 *   `s >= size` (so every `s-` range of an empty body).
 * - `[]`: serve the whole body (200). That is `bytes=` with nothing after it, or any suffix
 *   item `-n` with `n >= size`, which turns the **whole** request into a plain 200.
 * - otherwise inclusive ranges, in header order, neither merged nor reordered: `s-e` with `e`
 *   clamped to `size - 1`; `s-` to the end; `-n` the last `n` bytes. `-0` items are skipped.
 *
 * Examples on 16 bytes: `bytes=0-4` → 0-4, `bytes=-3` → 13-15, `bytes=0-1000` → 0-15,
 * `bytes=100-` / `bytes=5-2` / `items=0-1` → `undefined`, `bytes=-100` / `bytes=-0` /
 * `bytes=` → `[]`. R2, which honours only a single satisfiable range, serves the whole object
 * unless the result has exactly one range.
 */
export function parseRanges(header: string, size: number): ByteRange[] | undefined {
  const unit = RANGE_UNIT.exec(header);
  if (unit === null) return undefined;
  const rest = header.slice(unit[0].length);
  if (rest.trimStart() === "") return [];
  const ranges: ByteRange[] = [];
  for (const item of rest.split(",")) {
    const match = RANGE_ITEM.exec(item);
    if (match === null) return undefined;
    const { start, end } = match.groups as { start?: string; end?: string };
    if (start !== undefined) {
      const first = Number(start);
      if (first >= size) return undefined;
      if (end === undefined) {
        ranges.push({ start: first, end: size - 1 });
        continue;
      }
      const last = Number(end);
      if (first > last) return undefined;
      ranges.push({ start: first, end: Math.min(last, size - 1) });
    } else if (end !== undefined) {
      const suffix = Number(end);
      if (suffix >= size) return [];
      if (suffix === 0) continue;
      ranges.push({ start: size - suffix, end: size - 1 });
    } else {
      return undefined;
    }
  }
  return ranges;
}
