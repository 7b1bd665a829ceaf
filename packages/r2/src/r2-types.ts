import type { WorkersBodyStream } from "@cellar/blob-store";
/*
 * The Workers `R2Bucket` API, declared here with the same shapes and overloads as
 * `@cloudflare/workers-types`, so a cellar bucket can be passed wherever Workers code expects
 * `env.MY_BUCKET` (a type test checks the assignment) without this package depending on the
 * Workers type definitions, whose globals clash with Node's.
 */

/**
 * Request headers, as `onlyIf`, `range` and `httpMetadata` read them: a `Headers` instance (from
 * Node, undici or the Workers types alike).
 */
export interface R2HeadersLike {
  get(name: string): string | null;
  has(name: string): boolean;
}

/** Response headers, as `writeHttpMetadata` sets them: a `Headers` instance. */
export interface R2WritableHeaders {
  set(name: string, value: string): void;
}

/** A `Blob` (from Node or the Workers types alike): read through its size and stream. */
export interface R2BlobLike {
  readonly size: number;
  readonly type: string;
  arrayBuffer(): Promise<ArrayBuffer>;
  stream(): any;
}

/** HTTP metadata stored with an object; `writeHttpMetadata` turns it into response headers. */
export interface R2HTTPMetadata {
  contentType?: string;
  contentLanguage?: string;
  contentDisposition?: string;
  contentEncoding?: string;
  cacheControl?: string;
  /** Written as the `expires` header. */
  cacheExpiry?: Date;
}

/** Checksums as lowercase hex strings. */
export interface R2StringChecksums {
  md5?: string;
  sha1?: string;
  sha256?: string;
  sha384?: string;
  sha512?: string;
}

/**
 * An object's checksums: for a single-part object its MD5 (the etag) plus the one hash given to
 * `put`, recomputed; for a multipart object none.
 */
export interface R2Checksums {
  readonly md5?: ArrayBuffer;
  readonly sha1?: ArrayBuffer;
  readonly sha256?: ArrayBuffer;
  readonly sha384?: ArrayBuffer;
  readonly sha512?: ArrayBuffer;
  /** The checksums as lowercase hex. */
  toJSON(): R2StringChecksums;
}

/** A byte range of an object: an offset with an optional length, a length from 0, or a suffix. */
export type R2Range = { offset: number; length?: number } | { offset?: number; length: number } | { suffix: number };

/**
 * Preconditions of `get` and `put`. Etags are unquoted (or `*`); dates compare with millisecond
 * precision unless `secondsGranularity` is set.
 */
export interface R2Conditional {
  etagMatches?: string;
  etagDoesNotMatch?: string;
  uploadedBefore?: Date;
  uploadedAfter?: Date;
  secondsGranularity?: boolean;
}

/** Options of `get`. */
export interface R2GetOptions {
  /** Preconditions as an object, or the `If-*` headers of a request. */
  onlyIf?: R2Conditional | R2HeadersLike;
  /** A range object, or headers holding a `Range: bytes=…` header. */
  range?: R2Range | R2HeadersLike;
  /** An SSE-C key (64 hex characters or 32 bytes); validated, then ignored, as in local Miniflare. */
  ssecKey?: ArrayBuffer | string;
}

/** Options of `put`. At most one of the five hashes. */
export interface R2PutOptions {
  onlyIf?: R2Conditional | R2HeadersLike;
  /** An object, or request headers (`content-type`, …, `expires`). */
  httpMetadata?: R2HTTPMetadata | R2HeadersLike;
  /** Values are converted to strings; at most 2,048 by R2's weighted count. */
  customMetadata?: Record<string, string>;
  md5?: ArrayBuffer | ArrayBufferView | string;
  sha1?: ArrayBuffer | ArrayBufferView | string;
  sha256?: ArrayBuffer | ArrayBufferView | string;
  sha384?: ArrayBuffer | ArrayBufferView | string;
  sha512?: ArrayBuffer | ArrayBufferView | string;
  /** `"InfrequentAccess"`, or `"Standard"` (the default). */
  storageClass?: string;
  ssecKey?: ArrayBuffer | string;
}

/** Options of `createMultipartUpload`. */
export interface R2MultipartOptions {
  httpMetadata?: R2HTTPMetadata | R2HeadersLike;
  customMetadata?: Record<string, string>;
  storageClass?: string;
  ssecKey?: ArrayBuffer | string;
}

/** Options of `uploadPart`. */
export interface R2UploadPartOptions {
  ssecKey?: ArrayBuffer | string;
}

/** Options of `list`. */
export interface R2ListOptions {
  /** 1 to 1000 (default 1000); at most 100 with `include`. */
  limit?: number;
  prefix?: string;
  cursor?: string;
  delimiter?: string;
  startAfter?: string;
  include?: ("httpMetadata" | "customMetadata")[];
}

/** A part as `uploadPart` returns it and `complete` takes it. */
export interface R2UploadedPart {
  partNumber: number;
  etag: string;
}

/** An object body stream (see `WorkersBodyStream`). */
export type R2BodyStream = WorkersBodyStream;

/**
 * The `Blob` that `blob()` returns: Node's, typed loosely enough to be assigned where Workers'
 * own `Blob` is expected.
 */
export type R2BodyBlob = Blob & {
  stream(): R2BodyStream;
  bytes(): Promise<any>;
  slice(start?: number, end?: number, contentType?: string): R2BodyBlob;
};

/** Object metadata, as `head`, `put`, `list` and `complete` return it. */
export interface R2Object {
  readonly key: string;
  /** 32 random hex characters, new on every write. */
  readonly version: string;
  readonly size: number;
  /** Hex MD5 of the content; for a multipart object `<md5 of the part MD5s>-<part count>`. */
  readonly etag: string;
  /** The etag in double quotes, as an HTTP `ETag` header wants it. */
  readonly httpEtag: string;
  readonly checksums: R2Checksums;
  readonly uploaded: Date;
  readonly httpMetadata?: R2HTTPMetadata;
  readonly customMetadata?: Record<string, string>;
  /** `head`: the whole object; `get`: the range served; otherwise absent. */
  readonly range?: R2Range;
  /** `"Standard"` or `"InfrequentAccess"`. */
  readonly storageClass: string;
  /** Always undefined: SSE-C keys are validated but not applied locally. */
  readonly ssecKeyMd5?: string;
  /** Sets `content-type`, `content-language`, `content-disposition`, `content-encoding`, `cache-control` and `expires`. */
  writeHttpMetadata(headers: R2WritableHeaders): void;
}

/** An object with its body, as a successful `get` returns it. The body can be read once. */
export interface R2ObjectBody extends R2Object {
  readonly body: R2BodyStream;
  readonly bodyUsed: boolean;
  arrayBuffer(): Promise<ArrayBuffer>;
  bytes(): Promise<Uint8Array>;
  text(): Promise<string>;
  json<T>(): Promise<T>;
  blob(): Promise<R2BodyBlob>;
}

/** A `list` page: a `cursor` exactly when `truncated`. */
export type R2Objects = {
  objects: R2Object[];
  delimitedPrefixes: string[];
} & ({ truncated: true; cursor: string } | { truncated: false });

/** Any readable stream of bytes, recognised by its `getReader` method. */
export interface R2PutStream {
  getReader(): any;
}

/** Values `put` accepts. Streams must have a known length (see `FixedLengthStream`). */
export type R2PutValue = R2PutStream | ArrayBuffer | ArrayBufferView | string | null | R2BlobLike;

/** Values `uploadPart` accepts. */
export type R2UploadPartValue = R2PutStream | ArrayBuffer | ArrayBufferView | string | R2BlobLike;

/** A multipart upload in progress, from `createMultipartUpload` or `resumeMultipartUpload`. */
export interface R2MultipartUpload {
  readonly key: string;
  readonly uploadId: string;
  uploadPart(partNumber: number, value: R2UploadPartValue, options?: R2UploadPartOptions): Promise<R2UploadedPart>;
  abort(): Promise<void>;
  complete(uploadedParts: R2UploadedPart[]): Promise<R2Object>;
}

/** The Workers `R2Bucket` binding API. */
export interface R2BucketApi {
  head(key: string): Promise<R2Object | null>;
  get(key: string, options: R2GetOptions & { onlyIf: R2Conditional | R2HeadersLike }): Promise<R2ObjectBody | R2Object | null>;
  get(key: string, options?: R2GetOptions): Promise<R2ObjectBody | null>;
  put(key: string, value: R2PutValue, options?: R2PutOptions & { onlyIf: R2Conditional | R2HeadersLike }): Promise<R2Object | null>;
  put(key: string, value: R2PutValue, options?: R2PutOptions): Promise<R2Object>;
  createMultipartUpload(key: string, options?: R2MultipartOptions): Promise<R2MultipartUpload>;
  resumeMultipartUpload(key: string, uploadId: string): R2MultipartUpload;
  delete(keys: string | string[]): Promise<void>;
  list(options?: R2ListOptions): Promise<R2Objects>;
}
