import type { IncomingHttpHeaders } from "node:http";
import type { R2HTTPMetadata } from "@cellar/r2";

const META_PREFIX = "x-amz-meta-";

/** The metadata an upload request sets: S3's content headers as R2 HTTP metadata, `x-amz-meta-*` as custom metadata. */
export interface RequestMetadata {
  readonly httpMetadata: R2HTTPMetadata;
  readonly customMetadata: Record<string, string>;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(", ") : value;
}

/**
 * Reads `Content-Type`, `Content-Encoding` (without the transfer-only `aws-chunked`),
 * `Content-Disposition`, `Content-Language`, `Cache-Control` and `Expires` (an HTTP date; an
 * invalid one is dropped, as it could not be served back) into R2 HTTP metadata, and every
 * `x-amz-meta-<name>` into custom metadata under `<name>` (lowercase, as HTTP names arrive).
 */
export function requestMetadata(headers: IncomingHttpHeaders): RequestMetadata {
  const httpMetadata: R2HTTPMetadata = {};
  const contentType = single(headers["content-type"]);
  if (contentType !== undefined) httpMetadata.contentType = contentType;
  const encodings = (single(headers["content-encoding"]) ?? "")
    .split(",")
    .map((encoding) => encoding.trim())
    .filter((encoding) => encoding !== "" && encoding.toLowerCase() !== "aws-chunked");
  if (encodings.length > 0) httpMetadata.contentEncoding = encodings.join(", ");
  const contentDisposition = single(headers["content-disposition"]);
  if (contentDisposition !== undefined) httpMetadata.contentDisposition = contentDisposition;
  const contentLanguage = single(headers["content-language"]);
  if (contentLanguage !== undefined) httpMetadata.contentLanguage = contentLanguage;
  const cacheControl = single(headers["cache-control"]);
  if (cacheControl !== undefined) httpMetadata.cacheControl = cacheControl;
  const expires = single(headers.expires);
  if (expires !== undefined && !Number.isNaN(Date.parse(expires))) httpMetadata.cacheExpiry = new Date(expires);

  const customMetadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith(META_PREFIX) && value !== undefined) customMetadata[name.slice(META_PREFIX.length)] = single(value)!;
  }
  return { httpMetadata, customMetadata };
}
