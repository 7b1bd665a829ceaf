import type { SweepResult } from "@cellar/blob-store";
import { toBindingString } from "./binding-values.js";
import { BucketStore } from "./bucket-store.js";
import { parseChecksumOption } from "./checksums.js";
import { parseConditional } from "./conditional.js";
import { customMetadataSize, parseCustomMetadata } from "./custom-metadata.js";
import { parseHttpMetadata } from "./http-metadata.js";
import { listObjects } from "./list-objects.js";
import { parseListOptions, resolveListLimit } from "./list-options.js";
import { MultipartBinding } from "./multipart-binding.js";
import { CellarMultipartUpload } from "./multipart-upload.js";
import { createUpload, expireUploads } from "./multipart-writes.js";
import { openObject } from "./object-reads.js";
import { deleteObjects, putObject } from "./object-writes.js";
import { discardBody, requireKnownLength, toPutBody, type PutBody } from "./put-body.js";
import type { R2BucketOptions, R2ExpireUploadsOptions, R2SweepOptions } from "./r2-bucket-options.js";
import { r2Error, type R2Operation } from "./r2-errors.js";
import { resolveR2Limits, type R2ResolvedLimits } from "./r2-limits.js";
import { CellarR2Object, CellarR2ObjectBody } from "./r2-object.js";
import type { R2BucketApi, R2MultipartUpload, R2Object, R2ObjectBody, R2Objects } from "./r2-types.js";
import { parseRangeOption, servedRange } from "./range-options.js";
import { validateKey } from "./validate-key.js";
import { checkSsecKey, optionsObject, storageClassOf } from "./write-options.js";

/** An R2 bucket: the Workers `R2Bucket` API plus maintenance. */
export interface CellarR2Bucket extends R2BucketApi {
  /**
   * Deletes orphan blobs (on-disk-layout L5): files no object or part row references, older than
   * `graceMs` (default one hour), left by a crash between a blob write and its commit, or by a
   * blob delete that failed. Waits for this bucket's writes in flight first. Resolves with what
   * the blob store removed.
   */
  sweep(options?: R2SweepOptions): Promise<SweepResult>;
  /**
   * Aborts multipart uploads left in progress for `olderThanMs` (default 7 days, as production
   * does), deleting their parts. Uploads started by `wrangler dev`, which cellar has no record
   * of, start their clock at the first call. Resolves with how many uploads were aborted.
   * (An expired upload also fails `uploadPart` and `complete` with 10024 on its own.)
   */
  expireMultipartUploads(options?: R2ExpireUploadsOptions): Promise<number>;
  /** Settles once every write called so far has committed or failed, and every blob delete it started has finished. */
  idle(): Promise<void>;
  /**
   * Waits for writes in flight, then refuses further calls. Does not close the database or the
   * blob store, which belong to the caller. Idempotent.
   */
  close(): Promise<void>;
}

const DEFAULT_SWEEP_GRACE_MS = 60 * 60 * 1000;
const defaultLogger = { warn: (message: string, error?: unknown) => console.warn(message, error) };

/**
 * Creates a Workers R2 bucket over a SQLite database and a blob store, with production semantics
 * (spec r2.md): the runtime's validation and error messages, conditionals, ranges, checksums,
 * UTF-8 listing order with delimiters, and multipart uploads that complete without copying
 * bytes, plus the required local behaviour of §5 (R1-R11). The database gets Miniflare 4's
 * tables, so a persisted bucket is readable by `wrangler dev` and the other way round.
 *
 * @throws {TypeError} for missing stores or invalid limits
 * @throws {SqlError} when the tables cannot be created (the database is read-only, busy, ...)
 */
export function createR2Bucket(options: R2BucketOptions): CellarR2Bucket {
  const { metadata, blobs } = options ?? {};
  if (typeof metadata?.prepare !== "function") throw new TypeError("createR2Bucket needs a metadata SqlDatabase");
  if (typeof blobs?.put !== "function") throw new TypeError("createR2Bucket needs a BlobStore");
  const store = new BucketStore({
    metadata,
    blobs,
    clock: options.clock ?? { now: () => Date.now() },
    name: options.name ?? "R2",
    limits: resolveR2Limits(options.limits),
    logger: options.logger ?? defaultLogger,
  });
  return new R2BucketBinding(store) as unknown as CellarR2Bucket;
}

/**
 * The binding half: converts and validates arguments exactly as the Workers binding (a
 * `TypeError` or `RangeError` before any storage is touched) and the R2 service
 * (`<op>: <message> (<code>)`) do, and shapes results. Every method but
 * `resumeMultipartUpload` returns a promise; nothing else throws synchronously.
 */
class R2BucketBinding {
  readonly #store: BucketStore;
  readonly #limits: R2ResolvedLimits;
  readonly #multipart: MultipartBinding;
  #closed = false;

  constructor(store: BucketStore) {
    this.#store = store;
    this.#limits = store.limits;
    this.#multipart = new MultipartBinding(store, () => this.#assertOpen());
  }

  async head(rawKey: unknown): Promise<R2Object | null> {
    const key = this.#key("head", rawKey);
    const record = this.#store.objects.get(key);
    return record === undefined ? null : new CellarR2Object(record, servedRange(undefined, record.size));
  }

  async get(rawKey: unknown, rawOptions?: unknown): Promise<R2ObjectBody | R2Object | null> {
    this.#assertOpen();
    const key = toBindingString(rawKey);
    const options = optionsObject(rawOptions, "get");
    const condition = parseConditional(options.onlyIf);
    const range = parseRangeOption(options.range);
    checkSsecKey(options.ssecKey);
    validateKey("get", key, this.#limits);
    const opened = await openObject(this.#store, key, condition, range);
    if (opened.kind === "missing") return null;
    if (opened.kind === "precondition-failed") return new CellarR2Object(opened.record, opened.range);
    return new CellarR2ObjectBody(opened.record, opened.range, opened.body);
  }

  async put(rawKey: unknown, rawValue: unknown, rawOptions?: unknown): Promise<R2Object | null> {
    this.#assertOpen();
    let body: PutBody | undefined;
    try {
      const key = toBindingString(rawKey);
      body = toPutBody(rawValue, { method: "put", className: "R2Bucket", nullable: true });
      const options = optionsObject(rawOptions, "put");
      const condition = parseConditional(options.onlyIf);
      const customMetadata = parseCustomMetadata(options.customMetadata);
      const httpMetadata = parseHttpMetadata(options.httpMetadata);
      const checksum = parseChecksumOption(options);
      const storageClass = storageClassOf(options.storageClass);
      checkSsecKey(options.ssecKey);
      const sized = requireKnownLength(body);
      // The service's checks, in its order: key, size, metadata (then the hash, once stored).
      validateKey("put", key, this.#limits);
      // Before a byte is stored (spec R2): Miniflare checks only after storing the body.
      if (sized.length > this.#limits.maxUploadSize) throw r2Error("put", "entityTooLarge");
      this.#checkMetadataSize("put", customMetadata);
      const record = await this.#store.track(
        putObject(this.#store, { key, body: sized, httpMetadata, customMetadata, checksum, condition, storageClass }),
      );
      return record === null ? null : new CellarR2Object(record);
    } catch (error) {
      discardBody(body, error);
      throw error;
    }
  }

  async delete(rawKeys: unknown): Promise<void> {
    this.#assertOpen();
    const keys = Array.isArray(rawKeys) ? rawKeys.map(toBindingString) : [toBindingString(rawKeys)];
    // Production's cap (spec R1), checked before anything is deleted; Miniflare has none.
    if (keys.length > this.#limits.maxDeleteKeys) {
      throw new Error(`delete: Up to ${this.#limits.maxDeleteKeys} keys may be deleted per call; ${keys.length} were given.`);
    }
    for (const key of keys) validateKey("delete", key, this.#limits);
    await this.#store.track(deleteObjects(this.#store, keys));
  }

  async list(rawOptions?: unknown): Promise<R2Objects> {
    this.#assertOpen();
    const request = parseListOptions(rawOptions);
    const limit = resolveListLimit(request, this.#limits);
    const page = listObjects(this.#store.objects, request, limit);
    // Fields not asked for come back as `{}`.
    const objects = page.objects.map(
      (record) =>
        new CellarR2Object({
          ...record,
          http_metadata: request.includeHttpMetadata ? record.http_metadata : "{}",
          custom_metadata: request.includeCustomMetadata ? record.custom_metadata : "{}",
        }),
    );
    const { delimitedPrefixes, cursor } = page;
    return cursor === undefined ? { objects, delimitedPrefixes, truncated: false } : { objects, delimitedPrefixes, truncated: true, cursor };
  }

  async createMultipartUpload(rawKey: unknown, rawOptions?: unknown): Promise<R2MultipartUpload> {
    this.#assertOpen();
    const key = toBindingString(rawKey);
    const options = optionsObject(rawOptions, "createMultipartUpload");
    const customMetadata = parseCustomMetadata(options.customMetadata);
    const httpMetadata = parseHttpMetadata(options.httpMetadata);
    const storageClass = storageClassOf(options.storageClass);
    checkSsecKey(options.ssecKey);
    validateKey("createMultipartUpload", key, this.#limits);
    // Production checks metadata here too (spec R7); Miniflare only on put.
    this.#checkMetadataSize("createMultipartUpload", customMetadata);
    const uploadId = await this.#store.track(createUpload(this.#store, key, httpMetadata, customMetadata, storageClass));
    return new CellarMultipartUpload(this.#multipart, key, uploadId);
  }

  /** No checks, as in Workers: a wrong key or id fails on the first call. */
  resumeMultipartUpload(rawKey: unknown, rawUploadId: unknown): R2MultipartUpload {
    return new CellarMultipartUpload(this.#multipart, toBindingString(rawKey), toBindingString(rawUploadId));
  }

  async sweep(options: R2SweepOptions = {}): Promise<SweepResult> {
    this.#assertOpen();
    const graceMs = options.graceMs ?? DEFAULT_SWEEP_GRACE_MS;
    if (typeof graceMs !== "number" || !(graceMs >= 0)) {
      throw new TypeError(`graceMs must be a non-negative number of milliseconds, got ${String(graceMs)}`);
    }
    return this.#store.sweep(graceMs);
  }

  async expireMultipartUploads(options: R2ExpireUploadsOptions = {}): Promise<number> {
    this.#assertOpen();
    const olderThanMs = options.olderThanMs ?? this.#limits.uploadExpiryMs;
    if (typeof olderThanMs !== "number" || !(olderThanMs >= 0)) {
      throw new TypeError(`olderThanMs must be a non-negative number of milliseconds, got ${String(olderThanMs)}`);
    }
    return this.#store.track(expireUploads(this.#store, olderThanMs));
  }

  idle(): Promise<void> {
    return this.#store.idle();
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#store.idle();
  }

  #key(operation: R2Operation, rawKey: unknown): string {
    this.#assertOpen();
    const key = toBindingString(rawKey);
    validateKey(operation, key, this.#limits);
    return key;
  }

  #checkMetadataSize(operation: R2Operation, customMetadata: Record<string, string>): void {
    if (customMetadataSize(customMetadata) > this.#limits.maxCustomMetadataSize) throw r2Error(operation, "metadataTooLarge");
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error(`R2 bucket ${JSON.stringify(this.#store.name)} is closed`);
  }
}
