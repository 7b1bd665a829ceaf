import { s3Errors } from "../s3-error.js";

/** The bytes a `Range` header selects: the whole object, or an inclusive range. */
export type SelectedRange = { readonly kind: "whole" } | { readonly kind: "range"; readonly start: number; readonly end: number };

const SINGLE_RANGE = /^bytes=(\d*)-(\d*)$/;

/**
 * S3's reading of `Range` on an object of `size` bytes: `bytes=a-b` (end clamped), `bytes=a-`
 * and `bytes=-n` (the last n bytes, the whole object if n exceeds it). A header S3 does not
 * understand (another unit, several ranges, `a > b`) is ignored: the whole object is sent.
 *
 * @throws {S3Error} InvalidRange (416) when the range starts past the end, for `bytes=-0`, and for any range of an empty object
 */
export function selectRange(header: string | undefined, size: number): SelectedRange {
  if (header === undefined) return { kind: "whole" };
  const match = SINGLE_RANGE.exec(header.replace(/\s+/g, ""));
  if (match === null) return { kind: "whole" };
  const [, startText = "", endText = ""] = match;
  if (startText === "" && endText === "") return { kind: "whole" };
  if (startText === "") {
    const suffix = Number(endText);
    if (suffix === 0 || size === 0) throw s3Errors.invalidRange(size);
    return { kind: "range", start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(startText);
  const end = endText === "" ? size - 1 : Number(endText);
  if (endText !== "" && end < start) return { kind: "whole" };
  if (start >= size) throw s3Errors.invalidRange(size);
  return { kind: "range", start, end: Math.min(end, size - 1) };
}
