import type { BlobStore } from "@cellar/blob-store";
import type { R2Logger } from "./r2-bucket-options.js";

/**
 * Deletes blobs that no row references any more, after the commit that unreferenced them,
 * in the background (as Miniflare does), so a write never waits for a delete.
 *
 * A read of a multipart object opens its part blobs one after another while the body is
 * consumed, so a part replaced or deleted meanwhile must outlive the read: readers **lease**
 * the blobs they will open, and the delete of a leased blob is deferred until its last lease
 * is released (spec r2.md §4). Leases cover this process only; other processes are covered by
 * the orphan sweep's grace period. A failed delete is logged, never thrown: the orphan sweep
 * removes what is left.
 */
export class BlobReclaimer {
  readonly #blobs: BlobStore;
  readonly #logger: R2Logger;
  readonly #bucket: string;
  readonly #leases = new Map<string, number>();
  /** Unreferenced blobs waiting for their leases, with why they were unreferenced. */
  readonly #deferred = new Map<string, string>();
  readonly #running = new Set<Promise<void>>();

  constructor(blobs: BlobStore, logger: R2Logger, bucket: string) {
    this.#blobs = blobs;
    this.#logger = logger;
    this.#bucket = bucket;
  }

  /** Takes a lease on each blob: it is not deleted until released. Call it in the same tick as the read of the row. */
  lease(blobIds: readonly string[]): void {
    for (const id of blobIds) this.#leases.set(id, (this.#leases.get(id) ?? 0) + 1);
  }

  /** Releases one lease; runs a delete that was waiting for it. */
  release(blobId: string): void {
    const count = this.#leases.get(blobId);
    if (count === undefined) return;
    if (count > 1) {
      this.#leases.set(blobId, count - 1);
      return;
    }
    this.#leases.delete(blobId);
    const reason = this.#deferred.get(blobId);
    if (reason !== undefined) {
      this.#deferred.delete(blobId);
      this.#start(blobId, reason);
    }
  }

  /** Whether a reader in this process holds the blob, or its delete is pending; the sweep spares these. */
  isBusy(blobId: string): boolean {
    return this.#leases.has(blobId) || this.#deferred.has(blobId);
  }

  /** Deletes blobs no committed row references, now or once their readers are done. */
  reclaim(blobIds: readonly string[], reason: string): void {
    for (const id of blobIds) {
      if (this.#leases.has(id)) this.#deferred.set(id, reason);
      else this.#start(id, reason);
    }
  }

  /** Settles once every delete started so far has finished (deferred ones start when their readers finish). */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.all(this.#running);
  }

  #start(blobId: string, reason: string): void {
    const deleting: Promise<void> = this.#blobs.delete(blobId).then(
      () => void this.#running.delete(deleting),
      (error: unknown) => {
        this.#running.delete(deleting);
        this.#logger.warn(
          `R2 bucket "${this.#bucket}": could not delete blob ${blobId} after ${reason}; the orphan sweep will remove it`,
          error,
        );
      },
    );
    this.#running.add(deleting);
  }
}
