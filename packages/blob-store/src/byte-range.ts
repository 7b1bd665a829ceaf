import { InvalidRangeError, RangeNotSatisfiableError } from "./errors.js";

/**
 * An inclusive byte range, as in an HTTP `Range: bytes=start-end` header:
 * `{ start: 0, end: 0 }` is the first byte. Gateways parse and clamp HTTP ranges into this
 * shape before calling a store, so stores never see suffix (`-n`) or open (`n-`) ranges.
 */
export interface ByteRange {
  /** Offset of the first byte to read. */
  readonly start: number;
  /** Offset of the last byte to read (inclusive). */
  readonly end: number;
}

/**
 * Checks that `range` is well-formed on its own: an object with integer `start` and `end`,
 * `0 <= start <= end`. Stores call this before looking the blob up, so a malformed range is
 * reported the same way whether or not the blob exists.
 *
 * @throws {InvalidRangeError} when the range is malformed.
 */
export function assertByteRangeShape(range: unknown): asserts range is ByteRange {
  if (typeof range !== "object" || range === null) {
    throw new InvalidRangeError(`A byte range must be an object with start and end, got ${range === null ? "null" : typeof range}`);
  }
  const { start, end } = range as { start?: unknown; end?: unknown };
  if (!isOffset(start) || !isOffset(end)) {
    throw new InvalidRangeError(`Byte range offsets must be non-negative integers, got start=${String(start)} end=${String(end)}`);
  }
  if (end < start) {
    throw new InvalidRangeError(`Byte range end (${end}) is before its start (${start})`);
  }
}

/**
 * Checks that `range` is well-formed and lies inside a blob of `size` bytes. An empty blob
 * has no satisfiable range at all, as in HTTP (`bytes=0-0` on an empty body is a 416).
 *
 * @throws {InvalidRangeError} when the range is malformed.
 * @throws {RangeNotSatisfiableError} when it starts or ends at or past `size`.
 */
export function validateByteRange(range: unknown, size: number): asserts range is ByteRange {
  assertByteRangeShape(range);
  if (range.start >= size || range.end >= size) {
    throw new RangeNotSatisfiableError(`Byte range ${range.start}-${range.end} is outside a blob of ${size} bytes`, size);
  }
}

/** Number of bytes an inclusive range covers. */
export function byteRangeLength(range: ByteRange): number {
  return range.end - range.start + 1;
}

function isOffset(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}
