import type { BlobStore } from "@cellar/blob-store";
import type { KVLogger } from "./kv-namespace-options.js";

/**
 * Background blob deletes allowed to pile up before a writer waits for some: a store slower to
 * delete than to write must slow writers down rather than queue deletes without bound.
 */
const MAX_PENDING_DELETES = 64;

/**
 * Deletes blobs that no row references any more, in the background, as Miniflare does: a write
 * does not wait for the old value's file to go. Unlike Miniflare, a failed delete is logged
 * rather than ignored (K6); the orphan it leaves is removed by the namespace's `sweep`.
 */
export class BlobReaper {
  readonly #blobs: BlobStore;
  readonly #logger: KVLogger;
  readonly #namespace: string;
  readonly #pending = new Set<Promise<void>>();
  /** Writers waiting in `throttle` for a delete to finish, first come first served. */
  readonly #waiting: (() => void)[] = [];

  constructor(blobs: BlobStore, logger: KVLogger, namespace: string) {
    this.#blobs = blobs;
    this.#logger = logger;
    this.#namespace = namespace;
  }

  /** Starts deleting `blobId`; never throws, whatever the store does. */
  delete(blobId: string, reason: string): void {
    // Through `then`, so that even a store that throws synchronously cannot fail the caller.
    const deleting: Promise<void> = Promise.resolve()
      .then(() => this.#blobs.delete(blobId))
      .then(
        () => this.#finished(deleting),
        (error: unknown) => {
          this.#finished(deleting);
          this.#logger.warn(
            `KV namespace "${this.#namespace}": could not delete blob ${blobId} after ${reason}; the orphan sweep will remove it`,
            error,
          );
        },
      );
    this.#pending.add(deleting);
  }

  /**
   * Resolves at once unless too many deletes are pending; then when one of them finishes. (A
   * `Promise.race` over the pending set would attach a handler to every pending delete on every
   * call, which costs more than the deletes themselves.)
   */
  throttle(): Promise<void> | undefined {
    if (this.#pending.size < MAX_PENDING_DELETES) return undefined;
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
