import { BlobReaper, type BlobReaperLogger, type BlobStore } from "@cellar/blob-store";

/**
 * Deletes blobs that no row references any more, after the commit that unreferenced them, with
 * the foundation's `BlobReaper` (in the background, failures logged, writers throttled when
 * deletes pile up), plus the one thing R2 needs on top: **leases**.
 *
 * A read of a multipart object opens its part blobs one after another while the body is
 * consumed, so a part replaced or deleted meanwhile must outlive the read: readers lease the
 * blobs they will open, and the delete of a leased blob is deferred until its last lease is
 * released (spec r2.md §4). Leases cover this process only; other processes are covered by the
 * orphan sweep's grace period.
 */
export class BlobReclaimer {
  readonly #blobs: BlobStore;
  readonly #reaper: BlobReaper;
  readonly #leases = new Map<string, number>();
  /** Unreferenced blobs waiting for their leases, with why they were unreferenced. */
  readonly #deferred = new Map<string, string>();

  constructor(blobs: BlobStore, logger: BlobReaperLogger, bucket: string) {
    this.#blobs = blobs;
    this.#reaper = new BlobReaper({ owner: `R2 bucket "${bucket}"`, logger });
  }

  /** Takes a lease on each blob: it is not deleted until released. Call it in the same tick as the read of the row. */
  lease(blobIds: readonly string[]): void {
    for (const id of blobIds) this.#leases.set(id, (this.#leases.get(id) ?? 0) + 1);
  }

  /** Releases one lease; starts a delete that was waiting for it. */
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
      this.#reaper.delete(this.#blobs, blobId, reason);
    }
  }

  /** Whether a reader in this process holds the blob, or its delete is waiting for one; the sweep spares these. */
  isBusy(blobId: string): boolean {
    return this.#leases.has(blobId) || this.#deferred.has(blobId);
  }

  /** Deletes blobs no committed row references, now or once their readers are done. */
  reclaim(blobIds: readonly string[], reason: string): void {
    for (const id of blobIds) {
      if (this.#leases.has(id)) this.#deferred.set(id, reason);
      else this.#reaper.delete(this.#blobs, id, reason);
    }
  }

  /** `undefined`, or a promise a writer should wait for when too many deletes are pending. */
  throttle(): Promise<void> | undefined {
    return this.#reaper.throttle();
  }

  /** Settles once every delete started so far has finished (deferred ones start when their readers finish). */
  idle(): Promise<void> {
    return this.#reaper.idle();
  }
}
