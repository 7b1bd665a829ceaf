/**
 * Small values kept in memory by blob id, least recently used first out, bounded in bytes.
 *
 * Blobs are immutable, so an entry can never be stale: a `put` writes a new blob with a new id,
 * and every read looks up the key's current blob id in SQLite before it looks here. That holds
 * across processes too. The cache only saves the blob store's round trips (for files: open,
 * stat, read, close) on repeated reads, which dominate the cost of reading a small value.
 *
 * Values enter on read, not on `put`: a value is cached only once the blob store has actually
 * served it, so a blob lost behind the store's back is still reported (spec K5) unless this
 * process had already read it.
 *
 * Cached bytes are shared; callers must not mutate them (copy before handing them out).
 */
export class ValueCache {
  readonly #maxBytes: number;
  readonly #maxEntryBytes: number;
  readonly #entries = new Map<string, Uint8Array>();
  #bytes = 0;

  /** @param maxBytes total budget; 0 disables the cache */
  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
    // One value may take an eighth of the budget, at most 64 KiB: the cache is for small values.
    // With no budget nothing is cached, not even empty values.
    this.#maxEntryBytes = maxBytes > 0 ? Math.min(64 * 1024, Math.floor(maxBytes / 8)) : -1;
  }

  /** The value of blob `id`, if cached; marks it recently used. */
  get(id: string): Uint8Array | undefined {
    const bytes = this.#entries.get(id);
    if (bytes !== undefined) {
      // Map iteration order is insertion order: re-inserting moves the entry to the young end.
      this.#entries.delete(id);
      this.#entries.set(id, bytes);
    }
    return bytes;
  }

  /**
   * Caches `bytes` if they are small enough and the blob is not cached yet; returns whether the
   * cache now holds these very bytes (and shares them with the caller).
   */
  set(id: string, bytes: Uint8Array): boolean {
    if (bytes.byteLength > this.#maxEntryBytes || this.#entries.has(id)) return false;
    this.#entries.set(id, bytes);
    this.#bytes += bytes.byteLength;
    for (const [oldId, old] of this.#entries) {
      if (this.#bytes <= this.#maxBytes) break;
      this.#entries.delete(oldId);
      this.#bytes -= old.byteLength;
    }
    return true;
  }

  /** Forgets blob `id` (it was deleted). */
  delete(id: string): void {
    const bytes = this.#entries.get(id);
    if (bytes === undefined) return;
    this.#entries.delete(id);
    this.#bytes -= bytes.byteLength;
  }
}
