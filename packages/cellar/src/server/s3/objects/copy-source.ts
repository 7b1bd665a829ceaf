import type { R2Object, R2ObjectBody } from "@cellar/r2";
import type { CellarState } from "../../../open-state.js";
import { existingBucket } from "../buckets/bucket-access.js";
import { r2ErrorToS3 } from "../r2-error-to-s3.js";
import { requestHeader, type S3Call } from "../s3-call.js";
import { s3Errors } from "../s3-error.js";
import { checkBucketName, checkKey } from "../s3-target.js";
import { evaluateConditions } from "./s3-conditions.js";

/** Where `x-amz-copy-source` points. */
export interface CopySource {
  readonly bucket: string;
  readonly key: string;
}

/**
 * Reads `x-amz-copy-source`: `<bucket>/<key>` or `/<bucket>/<key>`, percent-encoded, optionally
 * with `?versionId=` (R2 keeps one version, so a version id is refused).
 *
 * @throws {S3Error} InvalidArgument, InvalidBucketName, KeyTooLongError
 */
export function parseCopySource(header: string): CopySource {
  const [path = "", query] = header.split("?", 2);
  if (query !== undefined && query !== "") throw s3Errors.notImplemented("Copying a specific version (x-amz-copy-source with versionId)");
  let decoded: string;
  try {
    decoded = decodeURIComponent(path.startsWith("/") ? path.slice(1) : path);
  } catch {
    throw s3Errors.invalidArgument("Invalid copy source encoding.");
  }
  const slash = decoded.indexOf("/");
  if (slash <= 0 || slash === decoded.length - 1) throw s3Errors.invalidArgument("Copy Source must mention the source bucket and key: sourcebucket/sourcekey.");
  const bucket = decoded.slice(0, slash);
  const key = decoded.slice(slash + 1);
  checkBucketName(bucket);
  checkKey(key);
  return { bucket, key };
}

/**
 * Opens the copy source for reading, after its `x-amz-copy-source-if-*` conditions (every
 * failure is 412 for a copy). The body is read with `etagMatches` on the version whose
 * conditions were judged.
 *
 * @throws {S3Error} NoSuchKey, PreconditionFailed, InvalidRange
 */
export async function openCopySource(
  call: S3Call,
  state: CellarState,
  source: CopySource,
  range?: (object: R2Object) => { offset: number; length: number } | undefined,
): Promise<R2ObjectBody> {
  const bucket = existingBucket(state, source.bucket);
  const object = await (bucket?.head(source.key) ?? null);
  if (object === null) throw s3Errors.noSuchKey(source.key);
  const verdict = evaluateConditions(
    {
      ifMatch: requestHeader(call, "x-amz-copy-source-if-match"),
      ifNoneMatch: requestHeader(call, "x-amz-copy-source-if-none-match"),
      ifModifiedSince: requestHeader(call, "x-amz-copy-source-if-modified-since"),
      ifUnmodifiedSince: requestHeader(call, "x-amz-copy-source-if-unmodified-since"),
    },
    object,
  );
  if (verdict === 304) throw s3Errors.preconditionFailed("x-amz-copy-source-If-None-Match");
  if (verdict !== undefined) throw verdict;
  const selected = range?.(object);
  let read: R2ObjectBody | R2Object | null;
  try {
    read = await bucket!.get(source.key, { onlyIf: { etagMatches: object.etag }, ...(selected === undefined ? {} : { range: selected }) });
  } catch (error) {
    throw r2ErrorToS3(error, { key: source.key });
  }
  if (read === null) throw s3Errors.noSuchKey(source.key);
  if (!("body" in read)) throw s3Errors.preconditionFailed("x-amz-copy-source-If-Match");
  return read;
}
