import { r2ErrorToS3 } from "../r2-error-to-s3.js";
import type { S3Call } from "../s3-call.js";
import { s3Errors } from "../s3-error.js";
import { sendEmpty, sendXml } from "../s3-response.js";
import { bucketForWrite, existingBucket } from "./bucket-access.js";

/**
 * CreateBucket: opens (and so creates) the bucket; succeeds again for an existing one, since
 * buckets exist implicitly as in `wrangler dev`. A location configuration in the body is ignored.
 */
export function createBucket(call: S3Call, bucketName: string): void {
  bucketForWrite(call.exchange.context.state, bucketName);
  // The body (a CreateBucketConfiguration) carries nothing R2 uses locally.
  call.exchange.request.resume();
  sendEmpty(call.exchange, 200, { location: `/${bucketName}` });
}

/** HeadBucket: 200 for every valid name, since any bucket can be written to (buckets exist implicitly). */
export function headBucket(call: S3Call): void {
  sendEmpty(call.exchange, 200, { "x-amz-bucket-region": "auto" });
}

/** GetBucketLocation: R2's one region, `auto`. */
export function getBucketLocation(call: S3Call): void {
  sendXml(call.exchange, 200, "LocationConstraint", { "#text": "auto" });
}

/**
 * DeleteBucket: BucketNotEmpty while it holds objects; otherwise 204. The bucket's (empty)
 * database stays, so it keeps appearing in ListBuckets: local buckets exist implicitly.
 */
export async function deleteBucket(call: S3Call, bucketName: string): Promise<void> {
  const bucket = existingBucket(call.exchange.context.state, bucketName);
  if (bucket !== undefined) {
    let listed;
    try {
      listed = await bucket.list({ limit: 1 });
    } catch (error) {
      throw r2ErrorToS3(error);
    }
    if (listed.objects.length > 0 || listed.delimitedPrefixes.length > 0) throw s3Errors.bucketNotEmpty(bucketName);
  }
  sendEmpty(call.exchange, 204);
}
