import { BlobStoreError, BlobStoreIoError, BlobStoreTypeError } from "@cellar/blob-store";

/** The `code` of a Node system error (`ENOENT`, `EBUSY`, ...), if it is one. */
export function errnoCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** Whether the error says the file (or a directory on its path) does not exist. */
export function isMissingFileError(error: unknown): boolean {
  const code = errnoCode(error);
  return code === "ENOENT" || code === "ENOTDIR";
}

/**
 * Our own errors pass through; anything else from the file system becomes a
 * `BlobStoreIoError` with the original as `cause`, so callers branch on one stable code.
 */
export function toBlobStoreError(error: unknown, message: string): Error {
  if (error instanceof BlobStoreError || error instanceof BlobStoreTypeError) return error;
  return new BlobStoreIoError(`${message}: ${error instanceof Error ? error.message : String(error)}`, error);
}
