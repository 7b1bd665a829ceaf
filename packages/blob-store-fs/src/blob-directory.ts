import { mkdir } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { InvalidBlobIdError, assertValidBlobId, type BlobId } from "@cellar/blob-store";
import { partialWriteName } from "./partial-write-name.js";

/** The directory that holds a store's blob files, and the only place its paths may point. */
export interface BlobDirectory {
  /** Absolute path of the directory. */
  readonly root: string;
  /**
   * The file of blob `id`. The id is validated first (`InvalidBlobIdError`, before any disk
   * access), and the joined path is checked to sit directly in `root` as a second line of
   * defence, so no id can ever reach outside the directory.
   */
  blobPath(id: BlobId): string;
  /** The temporary file a `put` of blob `id` writes before renaming it into place. */
  partialWritePath(id: BlobId): string;
  /**
   * Creates the directory (and its parents) unless an earlier call already did. Remembering
   * that keeps a `mkdir` off every `put`.
   */
  ensureExists(): Promise<void>;
  /** Forgets that the directory exists, after a write found it gone (someone removed it). */
  forgetExists(): void;
}

/** Opens (without touching the disk) the blob directory at `root`, resolved against the cwd. */
export function createBlobDirectory(root: string): BlobDirectory {
  const absoluteRoot = resolve(root);
  let exists: Promise<void> | undefined;

  function pathInRoot(fileName: string): string {
    const path = join(absoluteRoot, fileName);
    if (dirname(path) !== absoluteRoot) throw new InvalidBlobIdError(fileName);
    return path;
  }

  return {
    root: absoluteRoot,
    blobPath(id) {
      assertValidBlobId(id);
      return pathInRoot(id);
    },
    partialWritePath(id) {
      assertValidBlobId(id);
      return pathInRoot(partialWriteName(id));
    },
    ensureExists() {
      exists ??= mkdir(absoluteRoot, { recursive: true }).then(
        () => undefined,
        (error: unknown) => {
          exists = undefined;
          throw error;
        },
      );
      return exists;
    },
    forgetExists() {
      exists = undefined;
    },
  };
}
