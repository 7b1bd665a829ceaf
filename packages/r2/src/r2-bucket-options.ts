import type { BlobReaperLogger, BlobStore } from "@cellar/blob-store";
import type { SqlDatabase } from "@cellar/metadata-store";
import type { R2LimitsOptions } from "./r2-limits.js";

/** Where a bucket reports problems it handles itself (a blob it could not delete). */
export type R2Logger = BlobReaperLogger;

/** Options of {@link createR2Bucket}. */
export interface R2BucketOptions {
  /**
   * The bucket's SQLite database (`r2/miniflare-R2BucketObject/<idFromName(bucket)>.sqlite` when
   * persisted). The bucket creates Miniflare's three tables and cellar's two side tables if they
   * are missing. It does not close the database: the caller owns it.
   */
  readonly metadata: SqlDatabase;
  /** Where object and part bytes live, one immutable blob each (`r2/<bucket>/blobs/`). Not closed by the bucket. */
  readonly blobs: BlobStore;
  /**
   * The time, in epoch milliseconds: `uploaded` dates, conditionals, upload expiry. Default
   * `Date.now`. Inject one to test time without sleeping; give the blob store the same clock so
   * the orphan sweep ages blobs consistently.
   */
  readonly clock?: { now(): number };
  /** The bucket name, used in error and log messages. Default `"R2"`. */
  readonly name?: string;
  /** Different multipart limits than production's (for tests), e.g. `{ minPartSize: 1024 }`. */
  readonly limits?: R2LimitsOptions;
  /** Receives failed background deletes. Default: `console.warn`. */
  readonly logger?: R2Logger;
}

/** Options of `sweep`. */
export interface R2SweepOptions {
  /**
   * Only blobs created more than this many milliseconds ago (by the blob store's clock) are
   * deleted, so writes in flight in other processes are never swept. Default one hour.
   */
  readonly graceMs?: number;
}

/** Options of `expireMultipartUploads`. */
export interface R2ExpireUploadsOptions {
  /**
   * Abort in-progress uploads created at least this many milliseconds ago (by the bucket's
   * clock). Default 7 days, production's limit. Uploads cellar has no record of (made by
   * `wrangler dev`) start their clock now.
   */
  readonly olderThanMs?: number;
}
