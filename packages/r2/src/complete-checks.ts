import { r2Error } from "./r2-errors.js";
import type { R2ResolvedLimits } from "./r2-limits.js";
import type { PartRecord } from "./multipart-tables.js";

/** A part named in `complete`. */
export interface SelectedPart {
  readonly partNumber: number;
  readonly etag: string;
}

/**
 * Checks the parts `complete` was given against those uploaded, in the service's order (spec
 * r2.md §3, steps 3-6), and returns them sorted by part number:
 * 3. no part number twice (10001);
 * 4. every part uploaded, with the etag given (10025);
 * 5. in argument order, every part but the last at least the minimum size (10011);
 * 6. in part-number order, every part but the last at least the minimum and all of one size,
 *    and the last no larger than the others (10048);
 * then the total within the largest object size (100100, spec R8).
 *
 * @throws {Error} `completeMultipartUpload: <message> (<code>)`
 */
export function checkCompletedParts(
  selected: readonly SelectedPart[],
  uploaded: readonly PartRecord[],
  limits: R2ResolvedLimits,
): PartRecord[] {
  const numbers = new Set<number>();
  for (const { partNumber } of selected) {
    if (numbers.has(partNumber)) throw r2Error("completeMultipartUpload", "internalError");
    numbers.add(partNumber);
  }
  const byNumber = new Map(uploaded.map((part) => [part.part_number, part]));
  const parts = selected.map(({ partNumber, etag }) => {
    const part = byNumber.get(partNumber);
    if (part === undefined || part.etag !== etag) throw r2Error("completeMultipartUpload", "invalidPart");
    return part;
  });
  for (const part of parts.slice(0, -1)) {
    if (part.size < limits.minPartSize) throw r2Error("completeMultipartUpload", "entityTooSmall");
  }
  parts.sort((a, b) => a.part_number - b.part_number);
  const partSize = parts[0]?.size;
  for (const part of parts.slice(0, -1)) {
    if (part.size < limits.minPartSize || part.size !== partSize) throw r2Error("completeMultipartUpload", "badUpload");
  }
  if (parts.length > 1 && parts[parts.length - 1]!.size > partSize!) throw r2Error("completeMultipartUpload", "badUpload");
  const total = parts.reduce((sum, part) => sum + part.size, 0);
  if (total > limits.maxObjectSize) throw r2Error("completeMultipartUpload", "entityTooLarge");
  return parts;
}
