import { unlinkSync } from "node:fs";
import { unlink as unlinkAsync } from "node:fs/promises";

/** How long and how often an unlink Windows refuses for now is retried (on-disk layout, L7). */
const RETRY_FOR_MS = 2_000;
const RETRY_EVERY_MS = 50;

/** Codes Windows returns while another handle (a virus scanner, an indexer, a closing SQLite) still holds the file. */
const RETRIED = new Set(["EBUSY", "EPERM"]);

/** The timing both variants share; the defaults are the real clock. */
interface UnlinkRetryTiming {
  /**
   * Milliseconds, for the deadline. Default `performance.now`: a monotonic wall clock, never a
   * store's injected clock, which a test may hold still.
   */
  readonly now?: () => number;
  /** Between attempts. Default 50 ms. */
  readonly intervalMs?: number;
  /** How long to keep retrying a busy file. Default 2,000 ms. */
  readonly timeoutMs?: number;
}

/** Options of {@link unlinkWithRetry}; the defaults are the real file system and clock. */
export interface UnlinkRetryOptions extends UnlinkRetryTiming {
  /** Deletes one file. Default `fs.promises.unlink`. */
  readonly unlink?: (path: string) => Promise<void>;
  /** Waits `ms`. Default a `setTimeout` promise. */
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * Called once, on the first `EPERM`, before an immediate retry: Windows refuses to delete a
   * read-only file with `EPERM`, so a store that keeps its files read-only makes the file writable
   * here (e.g. `chmod(path, 0o644)`). If it finds the file missing (`ENOENT`), the file counts as
   * gone; any other failure of it is ignored and the `EPERM` is retried as a busy file. Default:
   * none, `EPERM` is only retried.
   */
  readonly makeWritable?: (path: string) => Promise<void>;
}

/** Options of {@link unlinkSyncWithRetry}: those of {@link unlinkWithRetry}, synchronous. */
export interface UnlinkSyncRetryOptions extends UnlinkRetryTiming {
  /** Deletes one file. Default `fs.unlinkSync`. */
  readonly unlink?: (path: string) => void;
  /** Blocks for `ms`. Default `Atomics.wait` on a private buffer. */
  readonly sleep?: (ms: number) => void;
}

/**
 * Deletes `path`, tolerating what Windows does to files other handles hold: a missing file is
 * fine; `EBUSY`/`EPERM` are retried every 50 ms for up to 2 s, then the last error is thrown; any
 * other error is thrown at once. See {@link UnlinkRetryOptions.makeWritable} for read-only files.
 *
 * @returns `true` if this call removed the file, `false` if it did not exist.
 */
export async function unlinkWithRetry(path: string, options: UnlinkRetryOptions = {}): Promise<boolean> {
  const unlink = options.unlink ?? unlinkAsync;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const retry = retryRule(options);
  let makeWritable = options.makeWritable;
  for (;;) {
    try {
      await unlink(path);
      return true;
    } catch (error) {
      if (makeWritable !== undefined && errnoCode(error) === "EPERM") {
        const outcome = await tryMakeWritable(path, makeWritable);
        // Once only: a file still refused after that is busy, not read-only.
        makeWritable = undefined;
        if (outcome === "missing") return false;
        if (outcome === "writable") continue;
      }
      if (retry.isMissing(error)) return false;
    }
    await sleep(retry.intervalMs);
  }
}

/**
 * {@link unlinkWithRetry} without yielding to the event loop (the same rule: a missing file is
 * fine, `EBUSY`/`EPERM` retried every 50 ms for up to 2 s), for code that must finish deleting
 * before anything else can touch the files, such as completing an interrupted drop on open.
 *
 * @returns `true` if this call removed the file, `false` if it did not exist.
 */
export function unlinkSyncWithRetry(path: string, options: UnlinkSyncRetryOptions = {}): boolean {
  const unlink = options.unlink ?? unlinkSync;
  const sleep = options.sleep ?? ((ms: number) => void Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms));
  const retry = retryRule(options);
  for (;;) {
    try {
      unlink(path);
      return true;
    } catch (error) {
      if (retry.isMissing(error)) return false;
    }
    sleep(retry.intervalMs);
  }
}

/** The deadline of one unlink, and what each failed attempt means. */
function retryRule(timing: UnlinkRetryTiming): { readonly intervalMs: number; isMissing(error: unknown): boolean } {
  const now = timing.now ?? (() => performance.now());
  const intervalMs = timing.intervalMs ?? RETRY_EVERY_MS;
  const deadline = now() + (timing.timeoutMs ?? RETRY_FOR_MS);
  return {
    intervalMs,
    /** `true` for a missing file; `false` to wait and retry; throws `error` when it is not retried or the next attempt would be past the deadline. */
    isMissing(error) {
      const code = errnoCode(error);
      if (code === "ENOENT") return true;
      if (code === undefined || !RETRIED.has(code) || now() + intervalMs > deadline) throw error;
      return false;
    },
  };
}

/** Runs `makeWritable`, telling a file that vanished meanwhile from one that could not be changed. */
async function tryMakeWritable(path: string, makeWritable: (path: string) => Promise<void>): Promise<"writable" | "missing" | "failed"> {
  try {
    await makeWritable(path);
    return "writable";
  } catch (error) {
    return errnoCode(error) === "ENOENT" ? "missing" : "failed";
  }
}

/** The `code` of a Node system error (`ENOENT`, `EBUSY`, …), if it is one. */
function errnoCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === "string" ? code : undefined;
}
