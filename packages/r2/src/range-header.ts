import type { ByteRange } from "@cellar/blob-store";

const UNIT_PREFIX = /^ *bytes *=/i;
const RANGE_SPEC = /^ *(\d+)? *- *(\d+)? *$/;

/**
 * The range a `Range` header selects on an object of `size` bytes, as Miniflare reads it for
 * `get` (spec r2.md §3): a single satisfiable range is honoured, its end clamped to the object;
 * anything else means the **whole object, with no error**: several ranges, another unit, a
 * malformed spec, `start > end`, `start >= size` (so every range of an empty object), `bytes=-0`,
 * or a suffix at least as long as the object.
 *
 * @returns an inclusive range, or `undefined` for the whole object
 */
export function parseRangeHeader(header: string, size: number): ByteRange | undefined {
  const prefix = UNIT_PREFIX.exec(header);
  if (prefix === null) return undefined;
  const specs = header.slice(prefix[0].length).split(",");
  if (specs.length !== 1) return undefined;
  const match = RANGE_SPEC.exec(specs[0]!);
  if (match === null) return undefined;
  const [, startText, endText] = match;
  if (startText !== undefined) {
    const start = Number(startText);
    const end = endText === undefined ? size - 1 : Number(endText);
    if (start > end || start >= size) return undefined;
    return { start, end: Math.min(end, size - 1) };
  }
  if (endText === undefined) return undefined;
  const suffix = Number(endText);
  if (suffix === 0 || suffix >= size) return undefined;
  return { start: size - suffix, end: size - 1 };
}
