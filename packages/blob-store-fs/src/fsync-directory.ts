import { open } from "node:fs/promises";
import { errnoCode } from "./io-error.js";

/**
 * Flushes a directory's entries (a rename or an unlink) to stable storage, as strict
 * durability requires: fsync of a file does not persist its name.
 */
export async function fsyncDirectory(directory: string): Promise<void> {
  // Windows cannot open a directory as a file; NTFS journals renames itself.
  if (process.platform === "win32") return;
  const handle = await open(directory, "r");
  try {
    await handle.sync();
  } catch (error) {
    // A few file systems cannot fsync directories; there is nothing more we can do there.
    if (errnoCode(error) !== "EINVAL") throw error;
  } finally {
    await handle.close();
  }
}
