/**
 * What a blob store can do, declared once. Gateways, users and the conformance suite read this
 * manifest instead of discovering a gap through a throwing default.
 */
export interface BlobStoreCapabilities {
  /** Blobs survive the process: a new store over the same location sees them. */
  readonly persistent: boolean;
  /** Several processes may use one location at the same time without corrupting it. */
  readonly multiProcess: boolean;
  /** `sweep` removes unreferenced blobs (and leftover partial writes). */
  readonly sweep: boolean;
  /**
   * `put` of a `Uint8Array` and `getBytes` skip stream machinery (a fast path for small values,
   * such as most KV values). Every store has both; this says whether they are cheaper than
   * the stream path.
   */
  readonly fastSmallBlobs: boolean;
  /**
   * The store can be created with `durability: "strict"`: `put` and `delete` then reach stable
   * storage (fsync of the file and its directory) before they resolve, surviving power loss and
   * not only a killed process.
   */
  readonly strictDurability: boolean;
}
