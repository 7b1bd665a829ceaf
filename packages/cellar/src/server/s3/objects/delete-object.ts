import { existingBucket } from "../buckets/bucket-access.js";
import { r2ErrorToS3 } from "../r2-error-to-s3.js";
import type { S3Call } from "../s3-call.js";
import { sendEmpty } from "../s3-response.js";

/** DeleteObject: 204 whether or not the key existed, as on S3. */
export async function deleteObject(call: S3Call, bucketName: string, key: string): Promise<void> {
  const bucket = existingBucket(call.exchange.context.state, bucketName);
  try {
    await bucket?.delete(key);
  } catch (error) {
    throw r2ErrorToS3(error, { key });
  }
  sendEmpty(call.exchange, 204);
}
