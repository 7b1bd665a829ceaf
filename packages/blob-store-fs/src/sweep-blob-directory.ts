import { lstat, readdir } from "node:fs/promises";
import { join } from "node:path";
import { isValidBlobId, parseBlobId, type SweepOptions, type SweepResult } from "@cellar/blob-store";
import { isMissingFileError, toBlobStoreError } from "./io-error.js";
import { isPartialWriteName, partialWriteBlobId } from "./partial-write-name.js";
import { unlinkBlobFile } from "./unlink-blob-file.js";

/** What `sweepBlobDirectory` needs besides the caller's options. */
export interface SweepBlobDirectoryContext {
  /** Absolute path of the blob directory. */
  readonly root: string;
  /** Paths of partial writes still being written by this process: never swept. */
  readonly partialWritesInProgress: ReadonlySet<string>;
}

/**
 * Deletes, from one blob directory, unreferenced blobs and leftover partial writes created
 * before `olderThan` (spec L5). Only regular files directly inside the directory are
 * considered, by `lstat`, so a symlink or a subdirectory is never followed. Other dotfiles and
 * names that are not blob ids are left alone: they are not ours. Creation times come from the
 * id (for a partial write, the id it was going to become), or else from the file's mtime.
 */
export async function sweepBlobDirectory(options: SweepOptions, context: SweepBlobDirectoryContext): Promise<SweepResult> {
  const { olderThan, isReferenced } = options;
  let deletedBlobs = 0;
  let deletedPartials = 0;
  let freedBytes = 0;
  let names: string[];
  try {
    names = await readdir(context.root);
  } catch (error) {
    if (isMissingFileError(error)) return { deletedBlobs, deletedPartials, freedBytes };
    throw toBlobStoreError(error, `Cannot list the blob directory ${context.root}`);
  }

  for (const name of names) {
    const partial = isPartialWriteName(name);
    if (!partial && !isValidBlobId(name)) continue;
    const path = join(context.root, name);
    if (partial && context.partialWritesInProgress.has(path)) continue;
    const stats = await lstat(path).catch((error: unknown) => {
      if (isMissingFileError(error)) return undefined;
      throw toBlobStoreError(error, `Cannot inspect ${path}`);
    });
    if (!stats?.isFile()) continue;
    const createdAt = parseBlobId(partial ? partialWriteBlobId(name) : name).createdAt ?? stats.mtimeMs;
    if (createdAt >= olderThan) continue;
    if (!partial && (await isReferenced(name))) continue;
    // `isReferenced` errors are the caller's and pass through unchanged; only ours are wrapped.
    const deleted = await unlinkBlobFile(path).catch((error: unknown) => {
      throw toBlobStoreError(error, `Cannot delete ${path}`);
    });
    if (!deleted) continue;
    if (partial) deletedPartials += 1;
    else deletedBlobs += 1;
    freedBytes += stats.size;
  }
  return { deletedBlobs, deletedPartials, freedBytes };
}
