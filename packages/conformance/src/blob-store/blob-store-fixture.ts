import type { BlobStore, BlobStoreCapabilities, Clock } from "@cellar/blob-store";

/**
 * Backdoor hooks that read or prepare a store's state without going through the store under
 * test, so the suite can catch a store that agrees with itself but persists the wrong thing.
 * Every hook is optional; tests that need a missing one are reported as skipped, naming it.
 */
export interface BlobStoreInspect {
  /** The stored bytes of blob `id`, read directly from the backing storage; `null` if absent. */
  rawBlob?(id: string): Promise<Uint8Array | null>;
  /**
   * Leaves behind what a `put` interrupted by a crash leaves (for a file store, a partial
   * write), as if that `put` had started `ageMs` milliseconds before the clock's `now()`.
   */
  createPartialWrite?(ageMs: number): Promise<void>;
  /** How many entries the backing storage holds, blobs and leftovers (partial writes) alike. */
  countEntries?(): Promise<number>;
}

/** One isolated store for one test, and how to tear it down. */
export interface BlobStoreFixture {
  /** The store under test. */
  readonly store: BlobStore;
  /** Deletes everything the fixture created (temp dirs). The suite closes the stores first. */
  cleanup(): Promise<void>;
  /** Opens a new store over the same location; required when `capabilities.persistent`. */
  reopen?(): Promise<BlobStore>;
  /** Backdoor hooks that read state without the store under test. */
  readonly inspect?: BlobStoreInspect;
}

/** What every `describeBlobStore*` function takes. */
export interface DescribeBlobStoreOptions {
  /** Shown as the outermost `describe` block, e.g. `"blob-store-fs"`. */
  readonly name: string;
  /**
   * What the store declares it can do. The suite checks that `store.capabilities` equals this,
   * and skips (by name, e.g. `[persistent]`) the tests of capabilities declared `false`.
   */
  readonly capabilities: BlobStoreCapabilities;
  /**
   * A fresh, isolated store per test (its own temp directory or namespace), using the given
   * clock for creation times. The suite controls the clock to age blobs without sleeping.
   */
  create(context: { readonly clock: Clock }): Promise<BlobStoreFixture>;
}
