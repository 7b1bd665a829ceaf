import { FixedLengthStream, R2_LIMITS, type R2UploadedPart } from "@cellar/r2";
import { existingBucket } from "../buckets/bucket-access.js";
import { openCopySource, parseCopySource } from "../objects/copy-source.js";
import { r2ErrorToS3 } from "../r2-error-to-s3.js";
import { requestHeader, type S3Call } from "../s3-call.js";
import { s3Errors } from "../s3-error.js";
import { sendXml } from "../s3-response.js";
import { partNumberOf } from "./part-number.js";

const COPY_RANGE = /^bytes=(\d+)-(\d+)$/;

/**
 * UploadPartCopy (UploadPart with `x-amz-copy-source`, optionally `x-amz-copy-source-range:
 * bytes=a-b`): streams the source (or its range) into the part.
 */
export async function uploadPartCopy(call: S3Call, bucketName: string, key: string, uploadId: string, copySourceHeader: string): Promise<void> {
  const { exchange } = call;
  const partNumber = partNumberOf(exchange.url.searchParams);
  const source = parseCopySource(copySourceHeader);
  const rangeHeader = requestHeader(call, "x-amz-copy-source-range");
  const read = await openCopySource(call, exchange.context.state, source, (object) => {
    if (rangeHeader === undefined) return undefined;
    const match = COPY_RANGE.exec(rangeHeader.trim());
    const start = Number(match?.[1]);
    const end = Number(match?.[2]);
    if (match === null || end < start || end >= object.size) {
      throw s3Errors.invalidArgument("The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy");
    }
    return { offset: start, length: end - start + 1 };
  });
  const length = read.range !== undefined && "length" in read.range && read.range.length !== undefined ? read.range.length : read.size;
  let part: R2UploadedPart;
  try {
    if (length > R2_LIMITS.maxUploadSize) throw s3Errors.entityTooLarge();
    const bucket = existingBucket(exchange.context.state, bucketName);
    if (bucket === undefined) throw s3Errors.noSuchUpload(uploadId);
    part = await bucket.resumeMultipartUpload(key, uploadId).uploadPart(partNumber, read.body.pipeThrough(new FixedLengthStream(length)));
  } catch (error) {
    await read.body.cancel().catch(() => {});
    throw r2ErrorToS3(error, { key, uploadId });
  }
  sendXml(exchange, 200, "CopyPartResult", { LastModified: read.uploaded.toISOString(), ETag: `"${part.etag}"` });
}
