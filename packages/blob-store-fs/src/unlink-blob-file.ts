import { chmod } from "node:fs/promises";
import { unlinkWithRetry } from "@cellar/blob-store";
import { unlinkFile } from "./fd-io.js";

/**
 * Unlinks a blob file with the shared `EBUSY`/`EPERM` retries (every 50 ms for up to 2 s). Blob
 * files are read-only, which Windows answers with `EPERM`, so the first `EPERM` makes the file
 * writable before the next attempt.
 *
 * @returns `true` if this call removed the file, `false` if it did not exist.
 */
export function unlinkBlobFile(path: string): Promise<boolean> {
  return unlinkWithRetry(path, { unlink: unlinkFile, makeWritable: (file) => chmod(file, 0o644) });
}
