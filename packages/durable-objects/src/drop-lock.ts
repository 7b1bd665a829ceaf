import { closeSync, linkSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";

/**
 * The lock that lets only one drop of a namespace directory run at a time, across processes:
 * `<directory>/<uniqueKey>/.cellar-drop-lock`. Project-owned and optional, like the tombstone (a
 * dotfile no object file can be named; on-disk-layout.md L2).
 *
 * Two drops running at once could each list the files, then one could delete a file the other
 * process recreated after its own drop had finished (data written after both tombstones, lost),
 * or remove a tombstone the other still needs after a crash (data resurrected). Serialised, each
 * drop lists the directory only once the previous one is complete.
 *
 * The file holds its owner's pid. A drop killed while holding it leaves it behind with its
 * tombstone; the next drop, or the next open, sees that the pid is gone, takes the lock over and
 * completes the work. Processes are assumed to share one machine (one persist root, as with
 * `wrangler dev`).
 */
export const DROP_LOCK_FILE = ".cellar-drop-lock";

/** How long to wait for another process's drop, and how often to look. */
export interface DropLockOptions {
  /** Default 60,000 ms: far above a drop of 10,000 objects. */
  readonly timeoutMs?: number;
  /** Default 20 ms. */
  readonly intervalMs?: number;
}

interface Owner {
  readonly pid: number;
  readonly token: string;
}

/** A held lock; `release()` removes it if it is still this holder's. */
export interface DropLock {
  release(): void;
}

/** A lock file nobody could read for this long (its writer died between creating and writing it) is stale. */
const UNREADABLE_STALE_MS = 10_000;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readOwner(path: string): Owner | "missing" | "unreadable" {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "missing";
    throw error;
  }
  try {
    const owner = JSON.parse(text) as Owner;
    if (Number.isSafeInteger(owner.pid) && typeof owner.token === "string") return owner;
  } catch {}
  return "unreadable";
}

/** One attempt: the lock, or why not (the holder's pid; `undefined` while the holder is still writing it). */
function attempt(path: string): { lock: DropLock } | { holder: number | undefined } {
  const token = `${process.pid}-${Date.now()}-${Math.random().toString(16).slice(2)}`;
  let fd: number;
  try {
    fd = openSync(path, "wx");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return { holder: inspectHolder(path) };
  }
  try {
    writeSync(fd, JSON.stringify({ pid: process.pid, token }));
  } finally {
    closeSync(fd);
  }
  return {
    lock: {
      release() {
        const owner = readOwner(path);
        if (typeof owner === "object" && owner.token === token) unlinkSync(path);
      },
    },
  };
}

/** The live holder's pid, or undefined when the lock was stale (now removed) or is being written. */
function inspectHolder(path: string): number | undefined {
  const owner = readOwner(path);
  if (owner === "missing") return undefined;
  if (owner === "unreadable") {
    let age = 0;
    try {
      age = Date.now() - statSync(path).mtimeMs;
    } catch {}
    if (age > UNREADABLE_STALE_MS) removeStale(path, undefined);
    return undefined;
  }
  if (isAlive(owner.pid)) return owner.pid;
  removeStale(path, owner.token);
  return undefined;
}

/**
 * Removes the stale lock of a dead holder. The lock is first renamed aside, so that of two
 * processes doing this at once only one succeeds; if what was moved turns out to be a fresh lock
 * another process took in between, it is linked back (link never replaces an existing file).
 */
function removeStale(path: string, token: string | undefined): void {
  const aside = `${path}.stale-${process.pid}-${Math.random().toString(16).slice(2)}`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  const moved = readOwner(aside);
  const wasStale = token === undefined ? typeof moved !== "object" : typeof moved === "object" && moved.token === token;
  if (!wasStale) {
    try {
      linkSync(aside, path);
    } catch {}
  }
  unlinkSync(aside);
}

function timeoutError(path: string, holder: number | undefined, timeoutMs: number): Error {
  return new Error(`Another process (pid ${holder ?? "unknown"}) has been deleting this namespace for over ${timeoutMs} ms; its lock is ${path}`);
}

/** Takes the drop lock of `directory`, waiting (without blocking the event loop) for another drop to end. */
export async function acquireDropLock(directory: string, options: DropLockOptions = {}): Promise<DropLock> {
  const path = join(directory, DROP_LOCK_FILE);
  const timeoutMs = options.timeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = attempt(path);
    if ("lock" in result) return result.lock;
    if (Date.now() > deadline) throw timeoutError(path, result.holder, timeoutMs);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 20));
  }
}

/**
 * Takes the drop lock of `directory`, blocking while another process's drop runs (opening a
 * namespace is synchronous). Returns undefined without waiting when this process holds it: that
 * drop is live here and cannot end while this call blocks.
 */
export function acquireDropLockSync(directory: string, options: DropLockOptions = {}): DropLock | undefined {
  const path = join(directory, DROP_LOCK_FILE);
  const timeoutMs = options.timeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    const result = attempt(path);
    if ("lock" in result) return result.lock;
    if (result.holder === process.pid) return undefined;
    if (Date.now() > deadline) throw timeoutError(path, result.holder, timeoutMs);
    Atomics.wait(pause, 0, 0, options.intervalMs ?? 20);
  }
}
