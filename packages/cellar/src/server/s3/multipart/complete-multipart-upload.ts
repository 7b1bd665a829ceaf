import type { R2Object, R2UploadedPart } from "@cellar/r2";
import { readXmlRequest } from "../body/read-xml-request.js";
import { existingBucket } from "../buckets/bucket-access.js";
import { r2ErrorToS3 } from "../r2-error-to-s3.js";
import type { S3Call } from "../s3-call.js";
import { s3Errors } from "../s3-error.js";
import { sendXml } from "../s3-response.js";
import { xmlText } from "../s3-xml.js";

/**
 * CompleteMultipartUpload (`POST /<bucket>/<key>?uploadId=U` with the part list): parts must be
 * listed in strictly ascending order (InvalidPartOrder), as S3 requires; R2 then checks they
 * exist with those etags (InvalidPart) and their sizes (EntityTooSmall), and completes without
 * copying. The ETag is R2's: the MD5 of the part MD5s, `-<count>`.
 */
export async function completeMultipartUpload(call: S3Call, bucketName: string, key: string, uploadId: string): Promise<void> {
  const { exchange } = call;
  const request = await readXmlRequest(exchange, call.signing, "CompleteMultipartUpload");
  const listed = Array.isArray(request.Part) ? request.Part : [];
  if (listed.length === 0) throw s3Errors.malformedXml();
  const parts: R2UploadedPart[] = listed.map((part) => {
    const numberText = typeof part === "object" ? xmlText(part.PartNumber)?.trim() : undefined;
    const etag = typeof part === "object" ? xmlText(part.ETag)?.trim() : undefined;
    if (numberText === undefined || !/^\d+$/.test(numberText) || etag === undefined) throw s3Errors.malformedXml();
    return { partNumber: Number(numberText), etag: etag.replace(/^"(.*)"$/, "$1") };
  });
  for (let index = 1; index < parts.length; index++) {
    if (parts[index]!.partNumber <= parts[index - 1]!.partNumber) throw s3Errors.invalidPartOrder();
  }
  const bucket = existingBucket(exchange.context.state, bucketName);
  if (bucket === undefined) throw s3Errors.noSuchUpload(uploadId);
  let object: R2Object;
  try {
    object = await bucket.resumeMultipartUpload(key, uploadId).complete(parts);
  } catch (error) {
    throw r2ErrorToS3(error, { key, uploadId });
  }
  const host = exchange.request.headers.host ?? "localhost";
  sendXml(exchange, 200, "CompleteMultipartUploadResult", {
    Location: `http://${host}/${bucketName}/${key.split("/").map(encodeURIComponent).join("/")}`,
    Bucket: bucketName,
    Key: key,
    ETag: object.httpEtag,
  });
}
