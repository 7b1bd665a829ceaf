import type { ByteRange } from "@cellar/blob-store";
import { isHeaders } from "./headers.js";
import { parseRangeHeader } from "./range-header.js";
import { r2Error } from "./r2-errors.js";

/** A `get` range as the binding sends it: an object's fields, or a `Range` header's text. */
export type RangeRequest =
  | { readonly kind: "object"; readonly offset?: number; readonly length?: number; readonly suffix?: number }
  | { readonly kind: "header"; readonly header: string };

/**
 * Reads `range` as the binding does. An object's `offset` and `length` must be non-negative
 * integers, and `suffix` excludes both; `Headers` contribute their `Range` header, if any.
 *
 * @throws {RangeError} for a negative or fractional number, and {TypeError} for `suffix` with
 *   `offset` or `length`, in the runtime's words.
 */
export function parseRangeOption(value: unknown): RangeRequest | undefined {
  if (value === undefined || value === null) return undefined;
  if (isHeaders(value)) {
    const header = value.get("range");
    return header === null ? undefined : { kind: "header", header };
  }
  if (typeof value !== "object") throw new TypeError("range must be an R2Range object or a Headers instance");
  const fields = value as Record<string, unknown>;
  const offset = numberField(fields.offset);
  const length = numberField(fields.length);
  const suffix = numberField(fields.suffix);
  if (offset !== undefined) checkWhole(offset, "Invalid range. Starting offset");
  if (length !== undefined) checkWhole(length, "Invalid range. Length");
  if (suffix !== undefined) {
    if (offset !== undefined) throw new TypeError("Suffix is incompatible with offset.");
    if (length !== undefined) throw new TypeError("Suffix is incompatible with length.");
    if (!(suffix >= 0)) throw new RangeError(`Invalid suffix. Suffix (${suffix}) must be greater than or equal to 0.`);
    if (!Number.isInteger(suffix)) throw new RangeError(`Invalid range. Suffix (${suffix}) must be an integer, not floating point.`);
  }
  return { kind: "object", offset, length, suffix };
}

function numberField(value: unknown): number | undefined {
  return value === undefined ? undefined : Number(value);
}

function checkWhole(value: number, label: string): void {
  if (!(value >= 0)) throw new RangeError(`${label} (${value}) must be greater than or equal to 0.`);
  if (!Number.isInteger(value)) throw new RangeError(`${label} (${value}) must be an integer, not floating point.`);
}

/**
 * The bytes a range selects on an object of `size` bytes, as the R2 service resolves it
 * (spec r2.md §3). Object form: a suffix ≤ 0 fails and a longer one is clamped; `offset`
 * defaults to 0 and `length` to the rest; `offset > size` or `length <= 0` fails (so
 * `offset == size`, and any range of an empty object); the length is clamped to the end. Header
 * form: see `parseRangeHeader`, which never fails.
 *
 * @returns an inclusive range, or `undefined` for the whole object
 * @throws {Error} `get: The requested range is not satisfiable (10039)`
 */
export function resolveRange(request: RangeRequest | undefined, size: number): ByteRange | undefined {
  if (request === undefined) return undefined;
  if (request.kind === "header") return parseRangeHeader(request.header, size);
  let { offset, length } = request;
  if (request.suffix !== undefined) {
    if (request.suffix <= 0) throw r2Error("get", "invalidRange");
    const suffix = Math.min(request.suffix, size);
    offset = size - suffix;
    length = suffix;
  }
  offset ??= 0;
  length ??= size - offset;
  const end = Math.min(offset + length, size);
  // `end <= offset` once clamped: `offset == size`, which includes every range of an empty object.
  if (offset < 0 || offset > size || length <= 0 || end <= offset) throw r2Error("get", "invalidRange");
  return { start: offset, end: end - 1 };
}

/** The `R2Range` reported for the bytes served: the range, or the whole object (always an offset and a length). */
export function servedRange(range: ByteRange | undefined, size: number): { offset: number; length: number } {
  return range === undefined ? { offset: 0, length: size } : { offset: range.start, length: range.end - range.start + 1 };
}
