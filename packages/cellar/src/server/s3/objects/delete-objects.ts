import { R2_LIMITS } from "@cellar/r2";
import { readXmlRequest } from "../body/read-xml-request.js";
import { existingBucket } from "../buckets/bucket-access.js";
import { r2ErrorToS3 } from "../r2-error-to-s3.js";
import type { S3Call } from "../s3-call.js";
import { s3Errors } from "../s3-error.js";
import { sendXml } from "../s3-response.js";
import { checkKey } from "../s3-target.js";
import { xmlText, type XmlDocumentElement } from "../s3-xml.js";

/**
 * DeleteObjects (`POST /<bucket>?delete`): up to 1,000 keys in one R2 delete (one transaction).
 * Each key is reported `<Deleted>` (not in Quiet mode) whether or not it existed, as S3 does; a
 * key that is too long is reported as an `<Error>` and the others are still deleted.
 */
export async function deleteObjects(call: S3Call, bucketName: string): Promise<void> {
  const request = await readXmlRequest(call.exchange, call.signing, "Delete");
  const objects = Array.isArray(request.Object) ? request.Object : [];
  if (objects.length === 0 || objects.length > R2_LIMITS.maxDeleteKeys) throw s3Errors.malformedXml();
  const quiet = xmlText(request.Quiet)?.trim().toLowerCase() === "true";
  const keys: string[] = [];
  const errors: XmlDocumentElement[] = [];
  for (const object of objects) {
    const key = typeof object === "object" ? xmlText(object.Key) : undefined;
    if (key === undefined) throw s3Errors.malformedXml();
    try {
      checkKey(key);
      keys.push(key);
    } catch (error) {
      const failure = r2ErrorToS3(error, { key });
      errors.push({ Key: key, Code: failure.code, Message: failure.message });
    }
  }
  const bucket = existingBucket(call.exchange.context.state, bucketName);
  if (bucket !== undefined && keys.length > 0) {
    try {
      await bucket.delete(keys);
    } catch (error) {
      const failure = r2ErrorToS3(error);
      for (const key of keys) errors.push({ Key: key, Code: failure.code, Message: failure.message });
      keys.length = 0;
    }
  }
  sendXml(call.exchange, 200, "DeleteResult", {
    Deleted: quiet ? undefined : keys.map((key) => ({ Key: key })),
    Error: errors.length === 0 ? undefined : errors,
  });
}
