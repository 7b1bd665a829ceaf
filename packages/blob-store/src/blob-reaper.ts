import type { BlobId, BlobStore } from "./blob-store.js";

/** Where a `BlobReaper` reports deletes that failed. */
export interface BlobReaperLogger {
  /** Something went wrong but the operation succeeded; `error` is the cause. */
  warn(message: string, error?: unknown): void;
}

/** Options of `BlobReaper`. */
export interface BlobReaperOptions {
  /** Names the owner in messages, e.g. `KV namespace "ns"` or `Cache "default"`. */
  readonly owner: string;
  readonly logger: BlobReaperLogger;
  /**
   * Background deletes allowed to pile up before `throttle` makes a writer wait: a store slower
   * to delete than to write must slow writers down rather than queue deletes without bound.
   * Default 64.
   */
  readonly maxPending?: number;
}

/**
 * The last step of the write protocol: deletes blobs that no committed row references any more
 * (a replaced value, a deleted key, the new blob of a write whose commit failed), in the
 * background, as Miniflare does, so a write does not wait for the old file to go. Unlike
 * Miniflare, a failed delete is logged rather than ignored; the orphan it leaves is removed by
 * the owner's sweep.
 */
export class BlobReaper {
  readonly #owner: string;
  readonly #logger: BlobReaperLogger;
  readonly #maxPending: number;
  readonly #pending = new Set<Promise<void>>();
  /** Writers waiting in `throttle` for a delete to finish, first come first served. */
  readonly #waiting: (() => void)[] = [];

  constructor(options: BlobReaperOptions) {
    this.#owner = options.owner;
    this.#logger = options.logger;
    this.#maxPending = options.maxPending ?? 64;
  }

  /** Starts deleting `blobIds` from `blobs`; never throws, whatever the store does. */
  delete(blobs: BlobStore, blobIds: BlobId | readonly BlobId[], reason: string): void {
    for (const blobId of typeof blobIds === "string" ? [blobIds] : blobIds) {
      // Through `then`, so that even a store that throws synchronously cannot fail the caller.
      const deleting: Promise<void> = Promise.resolve()
        .then(() => blobs.delete(blobId))
        .then(
          () => this.#finished(deleting),
          (error: unknown) => {
            this.#finished(deleting);
            this.#logger.warn(`${this.#owner}: could not delete blob ${blobId} after ${reason}; the orphan sweep will remove it`, error);
          },
        );
      this.#pending.add(deleting);
    }
  }

  /**
   * Resolves at once unless too many deletes are pending; then when one of them finishes. (A
   * `Promise.race` over the pending set would attach a handler to every pending delete on every
   * call, which costs more than the deletes themselves.)
   */
  throttle(): Promise<void> | undefined {
    if (this.#pending.size < this.#maxPending) return undefined;
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  #finished(deleting: Promise<void>): void {
    this.#pending.delete(deleting);
    this.#waiting.shift()?.();
  }

  /** Settles once every delete started so far has finished. */
  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all(this.#pending);
  }
}
