import { R2_LIMITS } from "@cellar/r2";
import { s3Errors } from "./s3-error.js";

/** What a path-style S3 path names: the service, a bucket, or an object. */
export type S3Target =
  | { readonly kind: "service" }
  | { readonly kind: "bucket"; readonly bucket: string }
  | { readonly kind: "object"; readonly bucket: string; readonly key: string };

/** R2's rule: 3-63 lowercase letters, digits and hyphens, starting and ending with a letter or digit. */
const BUCKET_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const utf8 = new TextEncoder();

/**
 * Reads `/`, `/<bucket>`, `/<bucket>/` and `/<bucket>/<key>` (percent-encoded; the key keeps its
 * slashes, `/b//x` is the key `/x`).
 *
 * @throws {S3Error} InvalidBucketName, KeyTooLongError, or InvalidArgument for a path that is not valid percent-encoding.
 */
export function parseS3Target(path: string): S3Target {
  const rest = path.startsWith("/") ? path.slice(1) : path;
  if (rest === "") return { kind: "service" };
  const slash = rest.indexOf("/");
  const bucket = decodePathPart(slash === -1 ? rest : rest.slice(0, slash));
  if (!BUCKET_NAME.test(bucket)) throw s3Errors.invalidBucketName(bucket);
  const key = slash === -1 ? "" : decodePathPart(rest.slice(slash + 1));
  if (key === "") return { kind: "bucket", bucket };
  checkKey(key);
  return { kind: "object", bucket, key };
}

/** @throws {S3Error} KeyTooLongError for a key over R2's 1,024 UTF-8 bytes */
export function checkKey(key: string): void {
  if (utf8.encode(key).byteLength > R2_LIMITS.maxKeySize) throw s3Errors.keyTooLong();
}

/** @throws {S3Error} InvalidBucketName unless R2 accepts the name */
export function checkBucketName(bucket: string): void {
  if (!BUCKET_NAME.test(bucket)) throw s3Errors.invalidBucketName(bucket);
}

function decodePathPart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw s3Errors.invalidArgument("The request path is not valid percent-encoding.");
  }
}
