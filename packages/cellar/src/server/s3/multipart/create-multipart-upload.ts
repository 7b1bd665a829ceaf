import type { R2MultipartUpload } from "@cellar/r2";
import { bucketForWrite } from "../buckets/bucket-access.js";
import { requestMetadata } from "../objects/request-metadata.js";
import { storageClassOption } from "../objects/storage-class.js";
import { checkUploadLimits } from "../objects/upload-limits.js";
import { r2ErrorToS3 } from "../r2-error-to-s3.js";
import { requestHeader, type S3Call } from "../s3-call.js";
import { sendXml } from "../s3-response.js";

/** CreateMultipartUpload (`POST /<bucket>/<key>?uploads`): the metadata headers are kept for the completed object. */
export async function createMultipartUpload(call: S3Call, bucketName: string, key: string): Promise<void> {
  const { exchange } = call;
  const { httpMetadata, customMetadata } = requestMetadata(exchange.request.headers);
  checkUploadLimits(0, customMetadata);
  let upload: R2MultipartUpload;
  try {
    upload = await bucketForWrite(exchange.context.state, bucketName).createMultipartUpload(key, {
      httpMetadata,
      customMetadata,
      ...storageClassOption(requestHeader(call, "x-amz-storage-class")),
    });
  } catch (error) {
    throw r2ErrorToS3(error, { key });
  }
  sendXml(exchange, 200, "InitiateMultipartUploadResult", { Bucket: bucketName, Key: key, UploadId: upload.uploadId });
}
