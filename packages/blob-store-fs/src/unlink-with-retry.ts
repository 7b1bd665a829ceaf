import { chmod } from "node:fs/promises";
import { unlinkFile } from "./fd-io.js";
import { errnoCode } from "./io-error.js";

/** How long and how often to retry an unlink that Windows refuses for now (spec L7). */
const RETRY_FOR_MS = 2000;
const RETRY_EVERY_MS = 50;

/**
 * Unlinks a file, tolerating what Windows does to blob files: `EBUSY` while another process
 * (an indexer, an antivirus, a reader) has it open, and `EPERM` for read-only files, which
 * it fixes by making the file writable first. Retries every 50 ms for up to 2 s.
 *
 * @returns `true` if this call removed the file, `false` if it did not exist.
 */
export async function unlinkWithRetry(path: string): Promise<boolean> {
  // Wall time, never the store's clock: a test clock may stand still.
  const deadline = performance.now() + RETRY_FOR_MS;
  let madeWritable = false;
  while (true) {
    try {
      await unlinkFile(path);
      return true;
    } catch (error) {
      const code = errnoCode(error);
      if (code === "ENOENT") return false;
      if (code !== "EBUSY" && code !== "EPERM") throw error;
      if (code === "EPERM" && !madeWritable) {
        madeWritable = true;
        try {
          await chmod(path, 0o644);
          continue;
        } catch (chmodError) {
          if (errnoCode(chmodError) === "ENOENT") return false;
        }
      }
      if (performance.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, RETRY_EVERY_MS));
    }
  }
}
