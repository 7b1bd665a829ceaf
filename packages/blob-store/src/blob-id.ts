import { randomBytes } from "node:crypto";
import type { BlobId } from "./blob-store.js";
import { InvalidBlobIdError } from "./errors.js";
import { encodeUserId } from "./user-id-encoding.js";

/** Longest blob id, in bytes (ids are ASCII): the usual limit of a file name. */
export const MAX_BLOB_ID_LENGTH = 255;

const RANDOM_BYTES = 32;
/** 64 hex characters of randomness followed by 16 of creation time: Miniflare's id format. */
const TIMED_PREFIX = /^[0-9a-f]{80}(?:-|$)/;
const BLOB_ID_CHARS = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;
const WINDOWS_DEVICE_NAME = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

export interface CreateBlobIdOptions {
  /** Creation time in epoch milliseconds, usually the store's `clock.now()`. */
  readonly now: number;
  /** The value's user-facing name; when non-empty it is appended, encoded, after a `-`. */
  readonly userId?: string;
}

export interface ParsedBlobId {
  /** Creation time in epoch milliseconds, or `undefined` when the id carries none. */
  readonly createdAt: number | undefined;
}

/**
 * Creates a new blob id: `<64 hex: 32 random bytes><16 hex: big-endian creation ms>`, which is
 * exactly a Miniflare blob id, followed by `-<encodeUserId(userId)>` when `userId` is non-empty.
 * The randomness makes ids unguessable; the time lets `sweep` spare young blobs; the user id
 * lets a person find a value on disk. The result is at most 241 characters.
 *
 * @throws {RangeError} when `now` is not a non-negative safe integer after flooring.
 * @throws {InvalidUserIdError} when `userId` cannot be encoded.
 */
export function createBlobId(options: CreateBlobIdOptions): BlobId {
  const now = Math.floor(options.now);
  if (!Number.isSafeInteger(now) || now < 0) {
    throw new RangeError(`A blob's creation time must be a non-negative epoch millisecond count, got ${options.now}`);
  }
  const { userId } = options;
  const suffix = userId === undefined || userId === "" ? "" : `-${encodeUserId(userId)}`;
  const time = now.toString(16).padStart(16, "0");
  return `${randomBytes(RANDOM_BYTES).toString("hex")}${time}${suffix}`;
}

/**
 * Reads what an id says about its blob. Ids that start with 80 lowercase hex characters
 * (followed by nothing, as Miniflare writes them, or by `-<user id>`, as cellar writes them)
 * carry their creation time in hex characters 64 to 80; any other id carries none, and a store
 * falls back to the file's modification time.
 */
export function parseBlobId(id: BlobId): ParsedBlobId {
  if (typeof id !== "string" || !TIMED_PREFIX.test(id)) return { createdAt: undefined };
  const createdAt = Number.parseInt(id.slice(64, 80), 16);
  return { createdAt: Number.isSafeInteger(createdAt) ? createdAt : undefined };
}

/**
 * Whether `id` could name a blob file: a string of 1 to 255 characters from `[A-Za-z0-9._-]`,
 * a single path segment that does not start with `.` (so never `.`, `..` or a dotfile, which
 * Miniflare's disk service hides and which stores use for partial writes). It must not end with
 * `.` or be a Windows device name either, since Windows would strip the dot (aliasing another
 * file) or open a device instead of a file.
 */
export function isValidBlobId(id: unknown): id is BlobId {
  return (
    typeof id === "string" &&
    id.length >= 1 &&
    id.length <= MAX_BLOB_ID_LENGTH &&
    BLOB_ID_CHARS.test(id) &&
    !id.endsWith(".") &&
    !WINDOWS_DEVICE_NAME.test(id)
  );
}

/**
 * Throws unless `isValidBlobId(id)`. Stores call it before touching storage, so a hostile id
 * (`../x`, `a/b`, a NUL byte) never reaches a path.
 *
 * @throws {InvalidBlobIdError}
 */
export function assertValidBlobId(id: unknown): asserts id is BlobId {
  if (!isValidBlobId(id)) throw new InvalidBlobIdError(id);
}
