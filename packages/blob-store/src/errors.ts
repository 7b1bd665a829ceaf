/**
 * Every error a blob store throws on purpose carries a stable `code`. Tests and callers
 * branch on `code`, never on the message, so messages may improve without breaking anyone.
 */
export type BlobStoreErrorCode =
  | "ERR_INVALID_BLOB_ID"
  | "ERR_INVALID_USER_ID"
  | "ERR_INVALID_RANGE"
  | "ERR_RANGE_NOT_SATISFIABLE"
  | "ERR_BLOB_TOO_LARGE"
  | "ERR_BLOB_WRITE_ABORTED"
  | "ERR_BLOB_STORE_CLOSED"
  | "ERR_BLOB_STORE_IO";

/** Base class of the errors a store raises about its own state (I/O, closed store, ...). */
export class BlobStoreError extends Error {
  readonly code: BlobStoreErrorCode;
  constructor(code: BlobStoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * Base class of caller mistakes (bad ids, bad ranges). It is a `TypeError`, as argument
 * errors are in the platform, and still carries a stable `code`.
 */
export class BlobStoreTypeError extends TypeError {
  readonly code: BlobStoreErrorCode;
  constructor(code: BlobStoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A blob id that this store could never have issued (wrong alphabet, path separators, too long). */
export class InvalidBlobIdError extends BlobStoreTypeError {
  constructor(id: unknown) {
    super("ERR_INVALID_BLOB_ID", `Invalid blob id: ${describeValue(id)}`);
  }
}

/** A user id (the label shown in a blob's file name) that cannot be encoded, e.g. a lone surrogate. */
export class InvalidUserIdError extends BlobStoreTypeError {
  constructor(reason: string) {
    super("ERR_INVALID_USER_ID", `Invalid user id: ${reason}`);
  }
}

/** A range that is malformed in itself: not integers, negative, or reversed. */
export class InvalidRangeError extends BlobStoreTypeError {
  constructor(message: string) {
    super("ERR_INVALID_RANGE", message);
  }
}

/** A well-formed range that does not fit inside the blob (starts or ends past its last byte). */
export class RangeNotSatisfiableError extends BlobStoreTypeError {
  readonly size: number;
  constructor(message: string, size: number) {
    super("ERR_RANGE_NOT_SATISFIABLE", message);
    this.size = size;
  }
}

/** `put` read more than `maxSize` bytes; nothing was stored. */
export class BlobTooLargeError extends BlobStoreError {
  readonly maxSize: number;
  constructor(maxSize: number) {
    super("ERR_BLOB_TOO_LARGE", `Blob exceeds the maximum size of ${maxSize} bytes`);
    this.maxSize = maxSize;
  }
}

/** `put` was aborted through its signal; nothing was stored. */
export class BlobWriteAbortedError extends BlobStoreError {
  constructor(cause?: unknown) {
    super("ERR_BLOB_WRITE_ABORTED", "Blob write was aborted", { cause });
  }
}

/** The store was closed; no further operation is possible. */
export class BlobStoreClosedError extends BlobStoreError {
  constructor() {
    super("ERR_BLOB_STORE_CLOSED", "Blob store is closed");
  }
}

/** The underlying storage failed (disk full, permissions, ...). `cause` holds the original error. */
export class BlobStoreIoError extends BlobStoreError {
  constructor(message: string, cause: unknown) {
    super("ERR_BLOB_STORE_IO", message, { cause });
  }
}

function describeValue(value: unknown): string {
  if (typeof value !== "string") return typeof value;
  const shown = value.length > 100 ? `${value.slice(0, 100)}… (${value.length} characters)` : value;
  return JSON.stringify(shown);
}
