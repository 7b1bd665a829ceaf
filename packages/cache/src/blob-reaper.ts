import type { BlobStore } from "@cellar/blob-store";
import type { CacheLogger } from "./cache-storage-options.js";

/**
 * Deletes blobs no row references any more, in the background, as Miniflare does, so a write
 * never waits for them; {@link idle} does. Unlike Miniflare, a failed delete is logged, never
 * silently ignored; the orphan sweep removes the file later (C7).
 */
export class BlobReaper {
  readonly #name: string;
  readonly #logger: CacheLogger;
  readonly #deleting = new Set<Promise<void>>();

  /** `name` is the cache's (`default` or `named:<cacheName>`), for messages. */
  constructor(name: string, logger: CacheLogger) {
    this.#name = name;
    this.#logger = logger;
  }

  /** Starts deleting `blobIds` from `blobs`; `reason` completes "could not delete blob … after <reason>". */
  delete(blobs: BlobStore, blobIds: readonly string[], reason: string): void {
    for (const blobId of blobIds) {
      const deleting: Promise<void> = blobs.delete(blobId).then(
        () => void this.#deleting.delete(deleting),
        (error: unknown) => {
          this.#deleting.delete(deleting);
          this.#logger.warn(`Cache "${this.#name}": could not delete blob ${blobId} after ${reason}; the orphan sweep will remove it`, error);
        },
      );
      this.#deleting.add(deleting);
    }
  }

  /** Settles once every delete started so far (and any started meanwhile) has finished. */
  async idle(): Promise<void> {
    while (this.#deleting.size > 0) await Promise.all(this.#deleting);
  }
}
