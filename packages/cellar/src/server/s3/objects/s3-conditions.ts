import type { R2Object } from "@cellar/r2";
import { s3Errors, type S3Error } from "../s3-error.js";

/** The conditional headers of a read, by role: GetObject/HeadObject use `If-*`, CopyObject and UploadPartCopy `x-amz-copy-source-if-*`. */
export interface ReadConditions {
  readonly ifMatch?: string | undefined;
  readonly ifNoneMatch?: string | undefined;
  readonly ifModifiedSince?: string | undefined;
  readonly ifUnmodifiedSince?: string | undefined;
}

/** The etags of an `If-Match`/`If-None-Match` list, unquoted, `W/` dropped (S3 clients send them quoted or not). */
export function etagList(header: string): string[] {
  return header
    .split(",")
    .map((etag) => etag.trim().replace(/^W\//, "").replace(/^"(.*)"$/, "$1"))
    .filter((etag) => etag !== "");
}

function matchesAny(header: string, etag: string): boolean {
  return etagList(header).some((candidate) => candidate === "*" || candidate === etag);
}

/** Seconds since the epoch of an HTTP date, or undefined for an invalid one (which S3 ignores). */
function seconds(date: string | undefined): number | undefined {
  if (date === undefined) return undefined;
  const time = Date.parse(date);
  return Number.isNaN(time) ? undefined : Math.floor(time / 1000);
}

/**
 * Evaluates conditional headers against an object as S3 does (RFC 7232 with S3's precedence):
 * a failed `If-Match`, or a failed `If-Unmodified-Since` without `If-Match`, is 412; a matching
 * `If-None-Match`, or a failed `If-Modified-Since` without `If-None-Match`, is 304. Dates compare
 * at second granularity, as HTTP dates carry no more.
 *
 * @returns undefined when the read may proceed, else 304 ("not modified") or the 412 error
 */
export function evaluateConditions(conditions: ReadConditions, object: R2Object): undefined | 304 | S3Error {
  const uploaded = Math.floor(object.uploaded.getTime() / 1000);
  if (conditions.ifMatch !== undefined) {
    if (!matchesAny(conditions.ifMatch, object.etag)) return s3Errors.preconditionFailed("If-Match");
  } else {
    const unmodifiedSince = seconds(conditions.ifUnmodifiedSince);
    if (unmodifiedSince !== undefined && uploaded > unmodifiedSince) return s3Errors.preconditionFailed("If-Unmodified-Since");
  }
  if (conditions.ifNoneMatch !== undefined) {
    if (matchesAny(conditions.ifNoneMatch, object.etag)) return 304;
  } else {
    const modifiedSince = seconds(conditions.ifModifiedSince);
    if (modifiedSince !== undefined && uploaded <= modifiedSince) return 304;
  }
  return undefined;
}
