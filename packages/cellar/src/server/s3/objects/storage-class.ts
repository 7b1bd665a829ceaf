import { S3Error } from "../s3-error.js";

/**
 * R2's storage class for S3's `x-amz-storage-class`: `STANDARD` and `STANDARD_IA` (R2's
 * Infrequent Access); none leaves R2's default.
 *
 * @throws {S3Error} InvalidStorageClass for any other class
 */
export function storageClassOption(header: string | undefined): { storageClass?: string } {
  if (header === undefined) return {};
  if (header === "STANDARD") return { storageClass: "Standard" };
  if (header === "STANDARD_IA") return { storageClass: "InfrequentAccess" };
  throw new S3Error("InvalidStorageClass", 400, `The storage class ${header} is not supported; R2 has STANDARD and STANDARD_IA.`);
}
