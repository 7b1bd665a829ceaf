import type { BlobId } from "@cellar/blob-store";

/**
 * Prefix of the temporary file a `put` writes before renaming it to the blob's id. It starts
 * with a dot because Miniflare's disk service hides dotfiles and blob ids never start with one,
 * so a partial write can never be mistaken for (or read as) a blob.
 */
export const PARTIAL_WRITE_PREFIX = ".partial-";

/** The file name of the partial write that will become blob `id`. */
export function partialWriteName(id: BlobId): string {
  return `${PARTIAL_WRITE_PREFIX}${id}`;
}

/** Whether `fileName` names a partial write (by this store or an earlier process). */
export function isPartialWriteName(fileName: string): boolean {
  return fileName.startsWith(PARTIAL_WRITE_PREFIX);
}

/** The blob id a partial write was going to become; it carries the write's start time. */
export function partialWriteBlobId(fileName: string): string {
  return fileName.slice(PARTIAL_WRITE_PREFIX.length);
}
