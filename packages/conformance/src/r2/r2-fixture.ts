/**
 * The smallest structural shape of a Workers `R2Bucket` the suite drives. Declared here so the
 * suite depends on no implementation: `@cellar/r2`, Miniflare's binding, or your own. Results
 * are loosely typed; the tests check their shape.
 */
export interface R2BucketLike {
  head(key: string): Promise<any>;
  get(key: string, options?: unknown): Promise<any>;
  put(key: string, value: unknown, options?: unknown): Promise<any>;
  delete(keys: string | string[]): Promise<void>;
  list(options?: unknown): Promise<any>;
  createMultipartUpload(key: string, options?: unknown): Promise<R2MultipartUploadLike>;
  resumeMultipartUpload(key: string, uploadId: string): R2MultipartUploadLike;
}

/** A multipart upload handle as the suite drives it. */
export interface R2MultipartUploadLike {
  readonly key: string;
  readonly uploadId: string;
  uploadPart(partNumber: number, value: unknown, options?: unknown): Promise<{ partNumber: number; etag: string }>;
  abort(): Promise<void>;
  complete(parts: { partNumber: number; etag: string }[]): Promise<any>;
}

/** An `_mf_objects` row, as Miniflare's schema holds it. */
export interface R2ObjectRow {
  readonly key: string;
  readonly blob_id: string | null;
  readonly version: string;
  readonly size: number;
  readonly etag: string;
  readonly uploaded: number;
  readonly checksums: string;
  readonly http_metadata: string;
  readonly custom_metadata: string;
}

/** An `_mf_multipart_uploads` row. */
export interface R2UploadRow {
  readonly upload_id: string;
  readonly key: string;
  readonly http_metadata: string;
  readonly custom_metadata: string;
  /** 0 in progress, 1 completed, 2 aborted. */
  readonly state: number;
}

/** An `_mf_multipart_parts` row. */
export interface R2PartRow {
  readonly upload_id: string;
  readonly part_number: number;
  readonly blob_id: string;
  readonly size: number;
  readonly etag: string;
  readonly checksum_md5: string;
  readonly object_key: string | null;
}

/**
 * Backdoor hooks that read stored state without going through the bucket under test. Each is
 * optional; declare the ones you provide in `capabilities`, and the tests that need one you
 * lack are skipped with the hook named in their title.
 */
export interface R2Inspect {
  /**
   * How many blobs the blob store holds. Called once the bucket has settled: a bucket that
   * deletes old blobs in the background must finish those deletes first.
   */
  blobCount?(): Promise<number>;
  /** Every `_mf_objects` row in key order, read straight from the database. */
  objectRows?(): Promise<R2ObjectRow[]>;
  /** Every `_mf_multipart_uploads` row. */
  uploadRows?(): Promise<R2UploadRow[]>;
  /** Every `_mf_multipart_parts` row, by upload and part number. */
  partRows?(): Promise<R2PartRow[]>;
  /** Ids of the blobs the bucket opened for reading since the last call (the fixture records the blob store's `get` calls). */
  blobReads?(): Promise<string[]>;
  /** Writes a blob no row references (as a crash between a blob write and its commit leaves one). */
  putOrphanBlob?(): Promise<void>;
}

/** The bucket's maintenance calls, for backends that have them. */
export interface R2Maintenance {
  /** Deletes blobs no row references, older than `graceMs`. */
  sweep?(options?: { graceMs?: number }): Promise<{ deletedBlobs: number }>;
  /** Aborts in-progress uploads older than `olderThanMs` (default 7 days); resolves with how many. */
  expireMultipartUploads?(options?: { olderThanMs?: number }): Promise<number>;
}

/** One isolated bucket for one test, and how to tear it down. */
export interface R2Fixture {
  /** The bucket under test. */
  readonly bucket: R2BucketLike;
  /**
   * A stream of `length` bytes from `source` whose length the bucket knows, as the readable half
   * of a `FixedLengthStream` is in Workers (`put` rejects streams of unknown length).
   */
  knownLength(source: ReadableStream<Uint8Array>, length: number): ReadableStream<Uint8Array>;
  /** Releases everything the fixture created (databases, temp dirs). */
  cleanup(): Promise<void>;
  /** A new bucket over the same storage, as after a restart; required when `capabilities.persistent`. */
  reopen?(): Promise<R2BucketLike>;
  /** Maintenance calls; see {@link R2Maintenance}. */
  readonly maintenance?: R2Maintenance;
  /** Backdoor hooks; see {@link R2Inspect}. */
  readonly inspect?: R2Inspect;
}

/** What the backend under test offers beyond the R2 API; each `false` skips the tests that need it. */
export interface R2SuiteCapabilities {
  /** Objects and uploads survive `reopen()`. */
  readonly persistent?: boolean;
  /** The fixture provides `inspect.blobCount`. */
  readonly blobCount?: boolean;
  /** The fixture provides `inspect.objectRows`, `uploadRows` and `partRows`. */
  readonly rows?: boolean;
  /** The fixture provides `inspect.blobReads`. */
  readonly blobReads?: boolean;
  /** The fixture provides `maintenance.sweep` and `inspect.putOrphanBlob`. */
  readonly sweep?: boolean;
  /** The fixture provides `maintenance.expireMultipartUploads`. */
  readonly expireUploads?: boolean;
}

/** A clock the suite sets by hand, so dates and expiry are tested without sleeping. */
export interface R2TestClock {
  /** The current time in epoch milliseconds. */
  now(): number;
}

/** Limits the suite asks the bucket to enforce instead of production's, so multipart tests stay small. */
export interface R2SuiteLimits {
  /** Smallest part except the last, in bytes. */
  readonly minPartSize: number;
  /** Largest object a multipart upload may complete to, in bytes; production's when absent. */
  readonly maxObjectSize?: number;
}

/** What every `describeR2*` function takes. */
export interface DescribeR2Options {
  /** Shown as the outermost `describe` block, e.g. `"r2 (fs blobs + better-sqlite3 file)"`. */
  readonly name: string;
  /**
   * A fresh, isolated bucket per test (its own database and blob directory) that reads the time
   * from `clock` (give its blob store the same clock) and enforces `limits`.
   */
  create(context: { readonly clock: R2TestClock; readonly limits: R2SuiteLimits }): Promise<R2Fixture>;
  /** Defaults to none. */
  readonly capabilities?: R2SuiteCapabilities;
}
