import { FixedLengthStream, type R2Object } from "@cellar/r2";
import { bucketForWrite } from "../buckets/bucket-access.js";
import { r2ErrorToS3 } from "../r2-error-to-s3.js";
import { requestHeader, type S3Call } from "../s3-call.js";
import { s3Errors } from "../s3-error.js";
import { sendXml } from "../s3-response.js";
import { openCopySource, parseCopySource } from "./copy-source.js";
import { putConditions } from "./put-conditions.js";
import { requestMetadata } from "./request-metadata.js";
import { storageClassOption } from "./storage-class.js";
import { checkUploadLimits } from "./upload-limits.js";

/**
 * CopyObject (`PUT` with `x-amz-copy-source`): streams the source body into a new object, never
 * holding it whole. `x-amz-metadata-directive: COPY` (the default) keeps the source's metadata,
 * `REPLACE` takes the request's. The copy is a single-part object, so a multipart source gets a
 * plain MD5 etag.
 */
export async function copyObject(call: S3Call, bucketName: string, key: string, copySourceHeader: string): Promise<void> {
  const { exchange } = call;
  const source = parseCopySource(copySourceHeader);
  const directive = (requestHeader(call, "x-amz-metadata-directive") ?? "COPY").toUpperCase();
  if (directive !== "COPY" && directive !== "REPLACE") throw s3Errors.invalidArgument("Unknown metadata directive.");
  const storageClass = storageClassOption(requestHeader(call, "x-amz-storage-class"));
  if (source.bucket === bucketName && source.key === key && directive === "COPY" && storageClass.storageClass === undefined) {
    throw s3Errors.invalidRequest(
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    );
  }
  const read = await openCopySource(call, exchange.context.state, source);
  const metadata =
    directive === "REPLACE"
      ? requestMetadata(exchange.request.headers)
      : { httpMetadata: read.httpMetadata ?? {}, customMetadata: read.customMetadata ?? {} };
  let object: R2Object | null;
  try {
    checkUploadLimits(read.size, metadata.customMetadata);
    const onlyIf = putConditions(call);
    object = await bucketForWrite(exchange.context.state, bucketName).put(key, read.body.pipeThrough(new FixedLengthStream(read.size)), {
      ...metadata,
      ...storageClass,
      ...(onlyIf === undefined ? {} : { onlyIf }),
    });
  } catch (error) {
    await read.body.cancel().catch(() => {});
    throw r2ErrorToS3(error, { key });
  }
  if (object === null) throw s3Errors.preconditionFailed(requestHeader(call, "if-match") === undefined ? "If-None-Match" : "If-Match");
  sendXml(exchange, 200, "CopyObjectResult", { LastModified: object.uploaded.toISOString(), ETag: object.httpEtag });
}
