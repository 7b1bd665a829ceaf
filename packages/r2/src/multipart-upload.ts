import type { R2MultipartUpload, R2Object, R2UploadedPart } from "./r2-types.js";

/** What a multipart upload handle asks its bucket to do; implemented by the bucket's binding. */
export interface MultipartOperations {
  uploadPart(key: string, uploadId: string, partNumber: unknown, value: unknown, options: unknown): Promise<R2UploadedPart>;
  complete(key: string, uploadId: string, parts: unknown): Promise<R2Object>;
  abort(key: string, uploadId: string): Promise<void>;
}

/**
 * A multipart upload handle (`R2MultipartUpload`), from `createMultipartUpload` or
 * `resumeMultipartUpload`. It holds only the key and upload id; every call goes to the bucket,
 * so a handle resumed in another process (or after a restart) works the same.
 */
export class CellarMultipartUpload implements R2MultipartUpload {
  readonly key: string;
  readonly uploadId: string;
  readonly #operations: MultipartOperations;

  constructor(operations: MultipartOperations, key: string, uploadId: string) {
    this.#operations = operations;
    this.key = key;
    this.uploadId = uploadId;
  }

  /** Stores part `partNumber` (1-10000); resolves with its number and etag (the part's MD5). */
  uploadPart(partNumber: number, value: unknown, options?: unknown): Promise<R2UploadedPart> {
    return this.#operations.uploadPart(this.key, this.uploadId, partNumber, value, options);
  }

  /** Aborts the upload, deleting its parts; a no-op once completed or aborted. */
  abort(): Promise<void> {
    return this.#operations.abort(this.key, this.uploadId);
  }

  /** Completes the upload from the given parts, copying no bytes; resolves with the object. */
  complete(uploadedParts: R2UploadedPart[]): Promise<R2Object> {
    return this.#operations.complete(this.key, this.uploadId, uploadedParts);
  }
}
