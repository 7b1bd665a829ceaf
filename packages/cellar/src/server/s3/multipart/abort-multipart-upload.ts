import { existingBucket } from "../buckets/bucket-access.js";
import { r2ErrorToS3 } from "../r2-error-to-s3.js";
import type { S3Call } from "../s3-call.js";
import { s3Errors } from "../s3-error.js";
import { sendEmpty } from "../s3-response.js";

/** AbortMultipartUpload (`DELETE /<bucket>/<key>?uploadId=U`): 204; NoSuchUpload for an upload R2 does not know. */
export async function abortMultipartUpload(call: S3Call, bucketName: string, key: string, uploadId: string): Promise<void> {
  const bucket = existingBucket(call.exchange.context.state, bucketName);
  if (bucket === undefined) throw s3Errors.noSuchUpload(uploadId);
  try {
    await bucket.resumeMultipartUpload(key, uploadId).abort();
  } catch (error) {
    throw r2ErrorToS3(error, { key, uploadId });
  }
  sendEmpty(call.exchange, 204);
}
