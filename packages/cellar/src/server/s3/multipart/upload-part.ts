import type { R2UploadedPart } from "@cellar/r2";
import { openUploadBody } from "../body/upload-body.js";
import { existingBucket } from "../buckets/bucket-access.js";
import { checkUploadLimits } from "../objects/upload-limits.js";
import type { S3Call } from "../s3-call.js";
import { s3Errors } from "../s3-error.js";
import { sendEmpty } from "../s3-response.js";
import { partNumberOf } from "./part-number.js";

/**
 * UploadPart (`PUT /<bucket>/<key>?partNumber=N&uploadId=U`): streams the part into R2; the
 * ETag is the part's MD5. Checksums are verified as for PutObject, but all of them here (R2
 * keeps no checksums for parts), and echoed.
 */
export async function uploadPart(call: S3Call, bucketName: string, key: string, uploadId: string): Promise<void> {
  const { exchange } = call;
  const partNumber = partNumberOf(exchange.url.searchParams);
  const body = openUploadBody(exchange, call.signing, { r2Verifies: false });
  checkUploadLimits(body.length);
  const bucket = existingBucket(exchange.context.state, bucketName);
  if (bucket === undefined) throw s3Errors.noSuchUpload(uploadId);
  let part: R2UploadedPart;
  try {
    part = await bucket.resumeMultipartUpload(key, uploadId).uploadPart(partNumber, body.stream);
  } catch (error) {
    throw body.failure(error, { key, uploadId });
  }
  sendEmpty(exchange, 200, { etag: `"${part.etag}"`, ...body.echoHeaders() });
}
