import type { BlobStore } from "@cellar/blob-store";
import type { DescribeR2Options, R2BucketLike, R2Fixture, R2ObjectRow, R2PartRow, R2UploadRow } from "@cellar/conformance";
import { createR2Bucket, FixedLengthStream, type CellarR2Bucket, type R2BucketOptions } from "@cellar/r2";
import { backendName, countBlobs, openBackend, type Backend, type OpenedBackend } from "./backends.ts";

/** A blob store that records the ids `get` opens, so tests can see which parts a read touched. */
export function recordingReads(blobs: BlobStore, reads: string[]): BlobStore {
  return {
    capabilities: blobs.capabilities,
    put: (body, options) => blobs.put(body, options),
    get: (id, range) => {
      reads.push(id);
      return blobs.get(id, range);
    },
    getBytes: (id, range) => blobs.getBytes(id, range),
    getRanges: (id, ranges, options) => blobs.getRanges(id, ranges, options),
    stat: (id) => blobs.stat(id),
    delete: (id) => blobs.delete(id),
    sweep: (options) => blobs.sweep(options),
    close: () => blobs.close(),
  };
}

/** An open bucket on a backend, plus its stores and the blob reads recorded so far. */
export interface OpenedR2 {
  readonly bucket: CellarR2Bucket;
  readonly stores: OpenedBackend;
  readonly reads: string[];
  /** Closes the bucket and its database and opens both again over the same storage. */
  reopen(): Promise<OpenedR2>;
  /** Closes everything and removes the temp directory. */
  cleanup(): Promise<void>;
}

/** Opens a bucket on `backend` in a fresh temp directory; `reopen` carries the storage over. */
export async function openR2(
  backend: Backend,
  options: Partial<R2BucketOptions> & { wrapBlobs?: (blobs: BlobStore) => BlobStore } = {},
): Promise<OpenedR2> {
  let bucket: CellarR2Bucket | undefined;
  const reads: string[] = [];
  const { wrapBlobs = (blobs: BlobStore) => blobs, ...bucketOptions } = options;
  const wrap = (stores: OpenedBackend): OpenedR2 => {
    const blobs = recordingReads(wrapBlobs(stores.blobs), reads);
    bucket = createR2Bucket({ name: "bucket", ...bucketOptions, metadata: stores.metadata, blobs });
    const opened: OpenedR2 = {
      bucket,
      stores,
      reads,
      reopen: async () => wrap(await stores.reopen()),
      cleanup: () => stores.cleanup(),
    };
    return opened;
  };
  const stores = await openBackend(backend, { product: "r2", namespace: "bucket", clock: options.clock, beforeClose: () => bucket?.close() });
  return wrap(stores);
}

/** The rows of Miniflare's three tables, straight from SQL. */
export function readR2Rows(stores: Pick<OpenedBackend, "metadata">) {
  const { metadata } = stores;
  return {
    objects: () =>
      metadata.prepare<R2ObjectRow>("SELECT key, blob_id, version, size, etag, uploaded, checksums, http_metadata, custom_metadata FROM _mf_objects ORDER BY key").all(),
    uploads: () => metadata.prepare<R2UploadRow>("SELECT upload_id, key, http_metadata, custom_metadata, state FROM _mf_multipart_uploads ORDER BY key, upload_id").all(),
    parts: () =>
      metadata.prepare<R2PartRow>("SELECT upload_id, part_number, blob_id, size, etag, checksum_md5, object_key FROM _mf_multipart_parts ORDER BY upload_id, part_number").all(),
  };
}

/** Deliberate breakage for the suite's teeth tests (tests/broken/r2-*.broken.ts). */
export interface R2Breakage {
  /** The suite's name. */
  readonly name: string;
  /** Wraps the bucket the suite drives. */
  readonly bucket?: (bucket: CellarR2Bucket) => R2BucketLike;
  /** Wraps the blob store the bucket writes to. */
  readonly blobs?: (blobs: BlobStore) => BlobStore;
}

/** The conformance suite's options for one backend, optionally deliberately broken. */
export function r2SuiteOptions(backend: Backend, breakage?: R2Breakage): DescribeR2Options {
  return {
    name: breakage?.name ?? `r2 (${backendName(backend)})`,
    capabilities: { persistent: backend.database === "file", blobCount: true, rows: true, blobReads: true, sweep: true, expireUploads: true },
    async create({ clock, limits }) {
      let opened = await openR2(backend, { clock, limits, wrapBlobs: breakage?.blobs });
      const fixture: R2Fixture = {
        get bucket() {
          return breakage?.bucket?.(opened.bucket) ?? opened.bucket;
        },
        knownLength: (source, length) => source.pipeThrough(new FixedLengthStream(length)),
        cleanup: () => opened.cleanup(),
        async reopen() {
          opened = await opened.reopen();
          return fixture.bucket;
        },
        maintenance: {
          sweep: (options) => opened.bucket.sweep(options),
          expireMultipartUploads: (options) => opened.bucket.expireMultipartUploads(options),
        },
        inspect: {
          async blobCount() {
            await opened.bucket.idle();
            return countBlobs(opened.stores);
          },
          objectRows: async () => readR2Rows(opened.stores).objects(),
          uploadRows: async () => readR2Rows(opened.stores).uploads(),
          partRows: async () => readR2Rows(opened.stores).parts(),
          async blobReads() {
            return opened.reads.splice(0);
          },
          async putOrphanBlob() {
            await opened.stores.blobs.put(new Uint8Array(16), { userId: "orphan" });
          },
        },
      };
      return fixture;
    },
  };
}
