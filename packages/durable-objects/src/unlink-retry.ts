import { unlinkSync } from "node:fs";
import { unlink as fsUnlink } from "node:fs/promises";

/** Options of {@link unlinkWithRetry}; the defaults are the real file system and clock. */
export interface UnlinkRetryOptions {
  /** Deletes one file. Default `fs.promises.unlink`. */
  readonly unlink?: (path: string) => Promise<void>;
  /** Waits `ms`. Default a `setTimeout` promise. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Milliseconds, for the deadline. Default `Date.now`. */
  readonly now?: () => number;
  /** Between attempts. Default 50 ms. */
  readonly intervalMs?: number;
  /** How long to keep retrying a busy file. Default 2,000 ms. */
  readonly timeoutMs?: number;
}

/** Codes Windows returns while another handle (a virus scanner, a closing SQLite) still holds the file. */
const RETRIED = new Set(["EBUSY", "EPERM"]);

/**
 * Deletes `path`, as on-disk-layout.md L7 asks: a missing file is fine; `EBUSY`/`EPERM` are retried
 * every 50 ms for up to 2 s, then the last error is thrown; any other error is thrown at once.
 */
export async function unlinkWithRetry(path: string, options: UnlinkRetryOptions = {}): Promise<void> {
  const unlink = options.unlink ?? fsUnlink;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  const intervalMs = options.intervalMs ?? 50;
  const deadline = now() + (options.timeoutMs ?? 2_000);
  for (;;) {
    try {
      await unlink(path);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException | undefined)?.code;
      if (code === "ENOENT") return;
      if (code === undefined || !RETRIED.has(code) || now() + intervalMs > deadline) throw error;
    }
    await sleep(intervalMs);
  }
}

/** Options of {@link unlinkSyncWithRetry}: those of {@link unlinkWithRetry}, synchronous. */
export interface UnlinkSyncRetryOptions {
  /** Deletes one file. Default `fs.unlinkSync`. */
  readonly unlink?: (path: string) => void;
  /** Blocks for `ms`. Default `Atomics.wait` on a private buffer. */
  readonly sleep?: (ms: number) => void;
  /** Milliseconds, for the deadline. Default `Date.now`. */
  readonly now?: () => number;
  /** Between attempts. Default 50 ms. */
  readonly intervalMs?: number;
  /** How long to keep retrying a busy file. Default 2,000 ms. */
  readonly timeoutMs?: number;
}

/**
 * {@link unlinkWithRetry} without yielding to the event loop (the same policy: a missing file is
 * fine, `EBUSY`/`EPERM` retried every 50 ms for up to 2 s). Used where an interrupted drop must be
 * completed before anything else can touch the files: opening a namespace, opening an object.
 */
export function unlinkSyncWithRetry(path: string, options: UnlinkSyncRetryOptions = {}): void {
  const unlink = options.unlink ?? unlinkSync;
  const sleep = options.sleep ?? ((ms: number) => void Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms));
  const now = options.now ?? Date.now;
  const intervalMs = options.intervalMs ?? 50;
  const deadline = now() + (options.timeoutMs ?? 2_000);
  for (;;) {
    try {
      unlink(path);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException | undefined)?.code;
      if (code === "ENOENT") return;
      if (code === undefined || !RETRIED.has(code) || now() + intervalMs > deadline) throw error;
    }
    sleep(intervalMs);
  }
}
