import { R2_LIMITS } from "@cellar/r2";
import { s3Errors } from "../s3-error.js";

/**
 * The `partNumber` of UploadPart or UploadPartCopy.
 *
 * @throws {S3Error} InvalidArgument unless it is an integer from 1 to 10,000
 */
export function partNumberOf(query: URLSearchParams): number {
  const text = query.get("partNumber") ?? "";
  const number = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (!(number >= 1 && number <= R2_LIMITS.maxPartNumber)) {
    throw s3Errors.invalidArgument(`Part number must be an integer between 1 and ${R2_LIMITS.maxPartNumber}, inclusive`);
  }
  return number;
}
