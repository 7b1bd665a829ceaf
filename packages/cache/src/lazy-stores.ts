import type { BlobStore } from "@cellar/blob-store";
import type { SqlDatabase } from "@cellar/metadata-store";
import { CacheClosedError } from "./cache-errors.js";
import type { CacheStores } from "./cache-storage-options.js";
import { EntriesTable } from "@cellar/entries-table";

/** A cache's stores once opened, with its table set up. */
export interface OpenedStores {
  readonly stores: CacheStores;
  readonly table: EntriesTable;
  readonly db: SqlDatabase;
  readonly blobs: BlobStore;
}

/**
 * Opens a cache's stores on first use, once. `caches.default` exists before any store does, and
 * `open` may be asynchronous, so every operation awaits {@link get}. A failed open is not
 * remembered: the next operation tries again.
 */
export class LazyStores {
  readonly #open: () => CacheStores | Promise<CacheStores>;
  #opening: Promise<OpenedStores> | undefined;
  #opened: OpenedStores | undefined;
  #closed = false;

  constructor(open: () => CacheStores | Promise<CacheStores>) {
    this.#open = open;
  }

  /** The stores, opening them if needed. Rejects with `CacheClosedError` after {@link close}. */
  get(): Promise<OpenedStores> {
    if (this.#closed) return Promise.reject(new CacheClosedError());
    if (this.#opening === undefined) {
      const opening = (async () => {
        const stores = await this.#open();
        this.#opened = { stores, table: new EntriesTable(stores.metadata), db: stores.metadata, blobs: stores.blobs };
        return this.#opened;
      })();
      this.#opening = opening;
      opening.catch(() => {
        if (this.#opening === opening) this.#opening = undefined;
      });
    }
    return this.#opening;
  }

  /** Refuses further `get`s, waits for an open in progress, then calls the stores' own `close()`. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#opening?.catch(() => undefined);
    await this.#opened?.stores.close?.();
  }
}
