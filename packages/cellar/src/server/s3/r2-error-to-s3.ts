import { R2IntegrityError } from "@cellar/r2";
import { S3Error, s3Errors } from "./s3-error.js";

/** `<op>: <message> (<code>)`, the shape of every R2 service error. */
const SERVICE_ERROR = /^[A-Za-z]+: ([\s\S]*) \((\d+)\)$/;

/** What an R2 call was about, for the fields S3 puts in its errors. */
export interface R2ErrorSubject {
  readonly key?: string;
  readonly uploadId?: string;
}

/**
 * The S3 error for an error thrown by an `@cellar/r2` bucket, by R2's v4 code (spec r2.md §2).
 * 10048 (parts of unequal sizes, a rule S3 does not have) becomes InvalidPart with R2's message.
 * Binding-side `TypeError`s and `RangeError`s (a part number out of range, a bad argument)
 * become InvalidArgument; a database that stayed busy, ServiceUnavailable; anything else, InternalError.
 */
export function r2ErrorToS3(error: unknown, subject: R2ErrorSubject = {}): S3Error {
  if (error instanceof S3Error) return error;
  if (error instanceof R2IntegrityError) return s3Errors.internalError(error);
  if (!(error instanceof Error)) return s3Errors.internalError(error);
  const match = SERVICE_ERROR.exec(error.message);
  if (match !== null) {
    const message = match[1]!;
    switch (Number(match[2])) {
      case 10007:
        return s3Errors.noSuchKey(subject.key ?? "");
      case 100100:
        return s3Errors.entityTooLarge();
      case 10011:
        return s3Errors.entityTooSmall();
      case 10012:
        return s3Errors.metadataTooLarge();
      case 10020:
        return s3Errors.keyTooLong();
      case 10022:
        return s3Errors.invalidArgument(message);
      case 10024:
        return s3Errors.noSuchUpload(subject.uploadId ?? "");
      case 10025:
        return s3Errors.invalidPart();
      case 10031:
        return s3Errors.preconditionFailed("If-Match");
      case 10037:
        return s3Errors.badDigest(message);
      case 10039:
        return new S3Error("InvalidRange", 416, message);
      case 10048:
        return s3Errors.invalidPart(message);
      default:
        return s3Errors.internalError(error);
    }
  }
  if ((error as { code?: unknown }).code === "ERR_SQL_BUSY") return s3Errors.serviceUnavailable(error);
  if (error.message.includes("FixedLengthStream")) return s3Errors.incompleteBody();
  if (error instanceof TypeError || error instanceof RangeError) return s3Errors.invalidArgument(error.message);
  return s3Errors.internalError(error);
}
