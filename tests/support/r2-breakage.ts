import type { R2BucketLike, R2MultipartUploadLike } from "@cellar/conformance";

/** A bucket that delegates every call to `bucket` except those in `overrides`. */
export function overrideBucket(bucket: R2BucketLike, overrides: Partial<R2BucketLike>): R2BucketLike {
  return {
    head: (key) => bucket.head(key),
    get: (key, options) => bucket.get(key, options),
    put: (key, value, options) => bucket.put(key, value, options),
    delete: (keys) => bucket.delete(keys),
    list: (options) => bucket.list(options),
    createMultipartUpload: (key, options) => bucket.createMultipartUpload(key, options),
    resumeMultipartUpload: (key, uploadId) => bucket.resumeMultipartUpload(key, uploadId),
    ...overrides,
  };
}

/** An upload handle that delegates to `upload`, with `complete` replaced. */
export function overrideComplete(upload: R2MultipartUploadLike, complete: R2MultipartUploadLike["complete"]): R2MultipartUploadLike {
  return {
    key: upload.key,
    uploadId: upload.uploadId,
    uploadPart: (partNumber, value, options) => upload.uploadPart(partNumber, value, options),
    abort: () => upload.abort(),
    complete,
  };
}

/** `options` without `field`. */
export function without(options: unknown, field: string): unknown {
  if (typeof options !== "object" || options === null) return options;
  const { [field]: _dropped, ...rest } = options as Record<string, unknown>;
  return rest;
}
