import type { BlobReaperLogger, BlobStore } from "@cellar/blob-store";
import type { SqlDatabase } from "@cellar/metadata-store";
import type { KVLimitsOptions } from "./kv-limits.js";

/** Where a namespace reports problems it handles itself (a blob it could not delete). */
export type KVLogger = BlobReaperLogger;

/** Options of {@link createKVNamespace}. */
export interface KVNamespaceOptions {
  /**
   * The namespace's SQLite database (`miniflare-KVNamespaceObject/<id>.sqlite` when persisted).
   * The namespace creates `_mf_entries` if it is missing and never adds anything else. It does
   * not close the database: the caller owns it.
   */
  readonly metadata: SqlDatabase;
  /** Where values live, one immutable blob per value (`kv/<namespace>/blobs/`). Not closed by the namespace. */
  readonly blobs: BlobStore;
  /** The time, in epoch milliseconds, for expiry. Default: `Date.now`. Inject one to test expiry without sleeping. */
  readonly clock?: { now(): number };
  /** The namespace id, used in error and log messages. Default `"KV"`. */
  readonly name?: string;
  /** Lower limits than production's (for tests), e.g. `{ maxValueSize: 1024 }`. */
  readonly limits?: KVLimitsOptions;
  /** Receives failed background deletes. Default: `console.warn`. */
  readonly logger?: KVLogger;
  /**
   * How many expired entries each `list` purges at most (spec K7): purging is amortised over
   * lists instead of one namespace-wide `DELETE`. Default 100; 0 disables it (expired entries
   * are still never returned, and `purgeExpired()` removes them all).
   */
  readonly purgeBatchSize?: number;
  /**
   * Bytes of small values kept in memory, keyed by blob id, so repeated reads of a value skip
   * the blob store. Blobs are immutable and every read looks up the entry in SQLite first, so a
   * cached value is always the current one, even with other processes writing. Default 8 MiB;
   * 0 disables the cache.
   */
  readonly valueCacheSize?: number;
}

/** Options of `sweep`. */
export interface KVSweepOptions {
  /**
   * Only blobs created more than this many milliseconds ago (by the namespace's clock) are
   * deleted, so writes in flight in other processes are never swept. Default one hour.
   */
  readonly graceMs?: number;
}
