/** The operation names the runtime puts in front of a service error. */
export type R2Operation =
  | "head"
  | "get"
  | "put"
  | "delete"
  | "list"
  | "createMultipartUpload"
  | "uploadPart"
  | "completeMultipartUpload"
  | "abortMultipartUpload";

/** The R2 service's errors (spec r2.md §2): v4 code and exact message. */
export const R2_ERRORS = Object.freeze({
  internalError: { code: 10001, message: "We encountered an internal error. Please try again." },
  noSuchKey: { code: 10007, message: "The specified key does not exist." },
  entityTooLarge: { code: 100100, message: "Your proposed upload exceeds the maximum allowed object size." },
  entityTooSmall: { code: 10011, message: "Your proposed upload is smaller than the minimum allowed object size." },
  metadataTooLarge: { code: 10012, message: "Your metadata headers exceed the maximum allowed metadata size." },
  invalidObjectName: { code: 10020, message: "The specified object name is not valid." },
  invalidMaxKeys: { code: 10022, message: "MaxKeys params must be positive integer <= 1000." },
  noSuchUpload: { code: 10024, message: "The specified multipart upload does not exist." },
  invalidPart: { code: 10025, message: "One or more of the specified parts could not be found." },
  invalidArgument: { code: 10029, message: "Metadata missing or invalid" },
  preconditionFailed: { code: 10031, message: "At least one of the pre-conditions you specified did not hold." },
  invalidRange: { code: 10039, message: "The requested range is not satisfiable" },
  badUpload: { code: 10048, message: "There was a problem with the multipart upload." },
} as const);

export type R2ErrorName = keyof typeof R2_ERRORS;

/**
 * The error the Workers binding throws when the R2 service answers with an error: a plain
 * `Error` whose message is `<op>: <message> (<code>)`, e.g.
 * `get: The requested range is not satisfiable (10039)`. Plain on purpose: code written against
 * the runtime compares messages and `instanceof Error`, and the runtime has no subclass either.
 */
export function r2Error(operation: R2Operation, name: R2ErrorName): Error {
  const { code, message } = R2_ERRORS[name];
  return r2ServiceError(operation, code, message);
}

/** A service error with a message of its own (a checksum mismatch names the hashes). */
export function r2ServiceError(operation: R2Operation, code: number, message: string): Error {
  return new Error(`${operation}: ${message} (${code})`);
}

/** `put`'s 10037 error, naming the hash given and the hash computed, in lowercase hex. */
export function badDigestError(algorithm: string, provided: string, actual: string): Error {
  return r2ServiceError(
    "put",
    10037,
    `The ${algorithm} checksum you specified did not match what we received.\n` +
      `You provided a ${algorithm} checksum with value: ${provided}\n` +
      `Actual ${algorithm} was: ${actual}`,
  );
}

/**
 * A row whose blob (or one of whose part blobs) is missing from the blob store. Miniflare
 * answers such a `get` as if the key did not exist; cellar fails loudly instead and keeps the
 * row, so nothing is lost silently. Restore the blob, or delete or overwrite the key.
 */
export class R2IntegrityError extends Error {
  /** Stable code to branch on. */
  readonly code = "ERR_R2_BLOB_MISSING";
  /** The object's key. */
  readonly key: string;
  /** The blob id the row points to. */
  readonly blobId: string;

  constructor(bucket: string, key: string, blobId: string) {
    super(
      `R2 bucket ${JSON.stringify(bucket)} is inconsistent: key ${JSON.stringify(key)} points to blob ${blobId}, ` +
        "which is missing from the blob store. The object was kept; restore the blob, or delete or overwrite the key.",
    );
    this.name = "R2IntegrityError";
    this.key = key;
    this.blobId = blobId;
  }
}
