/**
 * An error answered in S3's XML format: `code` is S3's error code (what SDKs turn into the
 * exception name), `status` the HTTP status. `fields` adds elements to `<Error>` the way S3 does
 * (`Key`, `BucketName`, `UploadId`, …), so clients that read them find them.
 */
export class S3Error extends Error {
  override readonly name = "S3Error";
  readonly code: string;
  readonly status: number;
  readonly fields: Readonly<Record<string, string>>;
  /** Extra response headers, e.g. `Content-Range: bytes *\/size` on a 416. */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    code: string,
    status: number,
    message: string,
    options: { fields?: Record<string, string>; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = status;
    this.fields = options.fields ?? {};
    this.headers = options.headers ?? {};
  }
}

/** The S3 errors this server answers with, in S3's words. */
export const s3Errors = {
  accessDenied: (message = "Access Denied") => new S3Error("AccessDenied", 403, message),
  badDigest: (message = "The Content-MD5 or checksum value that you specified did not match what the server received.") =>
    new S3Error("BadDigest", 400, message),
  bucketNotEmpty: (bucket: string) =>
    new S3Error("BucketNotEmpty", 409, "The bucket you tried to delete is not empty.", { fields: { BucketName: bucket } }),
  entityTooLarge: () => new S3Error("EntityTooLarge", 400, "Your proposed upload exceeds the maximum allowed object size."),
  entityTooSmall: () => new S3Error("EntityTooSmall", 400, "Your proposed upload is smaller than the minimum allowed object size."),
  incompleteBody: () => new S3Error("IncompleteBody", 400, "You did not provide the number of bytes specified by the Content-Length HTTP header."),
  internalError: (cause?: unknown) => new S3Error("InternalError", 500, "We encountered an internal error. Please try again.", { cause }),
  invalidAccessKeyId: () => new S3Error("InvalidAccessKeyId", 403, "The AWS Access Key Id you provided does not exist in our records."),
  invalidArgument: (message: string) => new S3Error("InvalidArgument", 400, message),
  invalidBucketName: (bucket: string) =>
    new S3Error("InvalidBucketName", 400, "The specified bucket is not valid.", { fields: { BucketName: bucket } }),
  invalidDigest: () => new S3Error("InvalidDigest", 400, "The Content-MD5 or checksum value you specified is not valid."),
  invalidPart: (message = "One or more of the specified parts could not be found. The part might not have been uploaded, or the specified entity tag might not have matched the part's entity tag.") =>
    new S3Error("InvalidPart", 400, message),
  invalidPartOrder: () => new S3Error("InvalidPartOrder", 400, "The list of parts was not in ascending order. Parts must be ordered by part number."),
  invalidRange: (size: number) =>
    new S3Error("InvalidRange", 416, "The requested range is not satisfiable", {
      fields: { ActualObjectSize: String(size) },
      headers: { "content-range": `bytes */${size}` },
    }),
  invalidRequest: (message: string) => new S3Error("InvalidRequest", 400, message),
  keyTooLong: () => new S3Error("KeyTooLongError", 400, "Your key is too long."),
  malformedXml: () =>
    new S3Error("MalformedXML", 400, "The XML you provided was not well-formed or did not validate against our published schema."),
  metadataTooLarge: () => new S3Error("MetadataTooLarge", 400, "Your metadata headers exceed the maximum allowed metadata size."),
  methodNotAllowed: (method: string) => new S3Error("MethodNotAllowed", 405, `The specified method is not allowed against this resource: ${method}.`),
  missingContentLength: () => new S3Error("MissingContentLength", 411, "You must provide the Content-Length HTTP header."),
  noSuchKey: (key: string) => new S3Error("NoSuchKey", 404, "The specified key does not exist.", { fields: { Key: key } }),
  noSuchUpload: (uploadId: string) =>
    new S3Error("NoSuchUpload", 404, "The specified multipart upload does not exist. The upload ID might be invalid, or the multipart upload might have been aborted or completed.", {
      fields: { UploadId: uploadId },
    }),
  notImplemented: (operation: string) =>
    new S3Error("NotImplemented", 501, `cellar serve does not implement ${operation}.`),
  preconditionFailed: (condition: string) =>
    new S3Error("PreconditionFailed", 412, "At least one of the pre-conditions you specified did not hold", { fields: { Condition: condition } }),
  requestExpired: () => new S3Error("AccessDenied", 403, "Request has expired"),
  serviceUnavailable: (cause: unknown) => new S3Error("ServiceUnavailable", 503, "Please reduce your request rate.", { cause }),
  signatureDoesNotMatch: () =>
    new S3Error("SignatureDoesNotMatch", 403, "The request signature we calculated does not match the signature you provided. Check your key and signing method."),
  contentSha256Mismatch: () => new S3Error("XAmzContentSHA256Mismatch", 400, "The provided 'x-amz-content-sha256' header does not match what was computed."),
} as const;
