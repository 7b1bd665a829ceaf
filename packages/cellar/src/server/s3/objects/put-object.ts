import type { R2Object } from "@cellar/r2";
import { openUploadBody } from "../body/upload-body.js";
import { bucketForWrite } from "../buckets/bucket-access.js";
import { requestHeader, type S3Call } from "../s3-call.js";
import { s3Errors } from "../s3-error.js";
import { sendEmpty } from "../s3-response.js";
import { putConditions } from "./put-conditions.js";
import { requestMetadata } from "./request-metadata.js";
import { storageClassOption } from "./storage-class.js";
import { checkUploadLimits } from "./upload-limits.js";

/**
 * PutObject: streams the (decoded) body into R2 with the request's metadata, checksums and
 * conditions; answers the quoted ETag and the checksums it verified. A failed checksum or a
 * broken body stores nothing, so the previous object stays.
 */
export async function putObject(call: S3Call, bucketName: string, key: string): Promise<void> {
  const { exchange } = call;
  const body = openUploadBody(exchange, call.signing, { r2Verifies: true });
  const { httpMetadata, customMetadata } = requestMetadata(exchange.request.headers);
  checkUploadLimits(body.length, customMetadata);
  const onlyIf = putConditions(call);
  const bucket = bucketForWrite(exchange.context.state, bucketName);
  let object: R2Object | null;
  try {
    object = await bucket.put(key, body.stream, {
      httpMetadata,
      customMetadata,
      ...body.r2Hash,
      ...storageClassOption(requestHeader(call, "x-amz-storage-class")),
      ...(onlyIf === undefined ? {} : { onlyIf }),
    });
  } catch (error) {
    throw body.failure(error, { key });
  }
  if (object === null) throw s3Errors.preconditionFailed(requestHeader(call, "if-match") === undefined ? "If-None-Match" : "If-Match");
  sendEmpty(exchange, 200, { etag: object.httpEtag, ...body.echoHeaders() });
}
