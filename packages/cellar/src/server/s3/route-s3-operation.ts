import { abortMultipartUpload } from "./multipart/abort-multipart-upload.js";
import { completeMultipartUpload } from "./multipart/complete-multipart-upload.js";
import { createMultipartUpload } from "./multipart/create-multipart-upload.js";
import { uploadPart } from "./multipart/upload-part.js";
import { uploadPartCopy } from "./multipart/upload-part-copy.js";
import { createBucket, deleteBucket, getBucketLocation, headBucket } from "./buckets/bucket-operations.js";
import { listBuckets } from "./buckets/list-buckets.js";
import { listObjectsV1, listObjectsV2 } from "./buckets/list-objects.js";
import { copyObject } from "./objects/copy-object.js";
import { deleteObject } from "./objects/delete-object.js";
import { deleteObjects } from "./objects/delete-objects.js";
import { getObject } from "./objects/get-object.js";
import { putObject } from "./objects/put-object.js";
import { requestHeader, type S3Call } from "./s3-call.js";
import { s3Errors } from "./s3-error.js";
import type { S3Target } from "./s3-target.js";
import { unsupportedSubresource } from "./unsupported-subresources.js";

/** Picks the S3 operation a method, path and query name, and runs it. */
export async function routeS3Operation(call: S3Call, target: S3Target): Promise<void> {
  const { request, url } = call.exchange;
  const method = request.method ?? "GET";
  const query = url.searchParams;
  const unsupported = unsupportedSubresource(query);
  if (unsupported !== undefined) throw s3Errors.notImplemented(unsupported);

  if (target.kind === "service") {
    if (method === "GET") return listBuckets(call);
    throw s3Errors.methodNotAllowed(method);
  }

  const { bucket } = target;
  if (target.kind === "bucket") {
    switch (method) {
      case "GET":
        if (query.has("uploads")) throw s3Errors.notImplemented("ListMultipartUploads");
        if (query.has("location")) return getBucketLocation(call);
        if (query.get("list-type") === "2") return listObjectsV2(call, bucket);
        return listObjectsV1(call, bucket);
      case "HEAD":
        return headBucket(call);
      case "PUT":
        return createBucket(call, bucket);
      case "DELETE":
        return deleteBucket(call, bucket);
      case "POST":
        if (query.has("delete")) return deleteObjects(call, bucket);
        throw s3Errors.notImplemented("POST on a bucket (browser-form uploads)");
      default:
        throw s3Errors.methodNotAllowed(method);
    }
  }

  const { key } = target;
  const uploadId = query.get("uploadId");
  switch (method) {
    case "GET":
      if (uploadId !== null) throw s3Errors.notImplemented("ListParts");
      return getObject(call, bucket, key);
    case "HEAD":
      return getObject(call, bucket, key);
    case "PUT": {
      const copySource = requestHeader(call, "x-amz-copy-source");
      if (uploadId !== null) {
        return copySource === undefined ? uploadPart(call, bucket, key, uploadId) : uploadPartCopy(call, bucket, key, uploadId, copySource);
      }
      if (query.has("partNumber")) throw s3Errors.invalidArgument("partNumber needs an uploadId.");
      return copySource === undefined ? putObject(call, bucket, key) : copyObject(call, bucket, key, copySource);
    }
    case "POST":
      if (query.has("uploads")) return createMultipartUpload(call, bucket, key);
      if (uploadId !== null) return completeMultipartUpload(call, bucket, key, uploadId);
      throw s3Errors.methodNotAllowed(method);
    case "DELETE":
      if (uploadId !== null) return abortMultipartUpload(call, bucket, key, uploadId);
      return deleteObject(call, bucket, key);
    default:
      throw s3Errors.methodNotAllowed(method);
  }
}
