import { customMetadataSize, R2_LIMITS } from "@cellar/r2";
import { s3Errors } from "../s3-error.js";

/**
 * R2's size limits, checked before the body is read: R2 would refuse the same upload, but only
 * after cancelling the body, and an answer before the upload is read is what S3 clients expect.
 *
 * @throws {S3Error} EntityTooLarge, MetadataTooLarge
 */
export function checkUploadLimits(length: number, customMetadata: Record<string, string> = {}): void {
  if (length > R2_LIMITS.maxUploadSize) throw s3Errors.entityTooLarge();
  if (customMetadataSize(customMetadata) > R2_LIMITS.maxCustomMetadataSize) throw s3Errors.metadataTooLarge();
}
