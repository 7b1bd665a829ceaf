import type { OutgoingHttpHeaders } from "node:http";
import type { R2Object } from "@cellar/r2";

/** S3's storage class names for R2's. */
export function s3StorageClass(r2Class: string): string {
  return r2Class === "InfrequentAccess" ? "STANDARD_IA" : "STANDARD";
}

/** Printable ASCII (and tab) passes as a header value as it is. */
const PLAIN_HEADER_VALUE = /^[\t\x20-\x7e]*$/;

/**
 * A header value Node will send: printable ASCII as it is, anything else (metadata a Worker
 * stored with accents or emoji) as an RFC 2047 encoded word, as S3 returns non-ASCII metadata.
 */
export function headerValue(value: string): string {
  return PLAIN_HEADER_VALUE.test(value) ? value : `=?UTF-8?B?${Buffer.from(value, "utf8").toString("base64")}?=`;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Query parameters that override response headers on GetObject, and the header each sets. */
const RESPONSE_OVERRIDES = {
  "response-content-type": "content-type",
  "response-content-language": "content-language",
  "response-expires": "expires",
  "response-cache-control": "cache-control",
  "response-content-disposition": "content-disposition",
  "response-content-encoding": "content-encoding",
} as const;

/**
 * The headers S3 sends with an object on GetObject and HeadObject: its HTTP metadata, `ETag`
 * (quoted), `Last-Modified` (an HTTP date), `x-amz-meta-*`, the storage class when not standard,
 * and `response-*` query overrides.
 */
export function objectHeaders(object: R2Object, query: URLSearchParams): OutgoingHttpHeaders {
  const http = new Headers();
  object.writeHttpMetadata(http);
  const headers: OutgoingHttpHeaders = {
    "accept-ranges": "bytes",
    "content-type": "application/octet-stream",
    etag: object.httpEtag,
    "last-modified": object.uploaded.toUTCString(),
  };
  http.forEach((value, name) => {
    headers[name] = headerValue(value);
  });
  for (const [name, value] of Object.entries(object.customMetadata ?? {})) {
    // A name that is not an HTTP token (a Worker may store any string) cannot travel as a header.
    if (HEADER_NAME.test(name)) headers[`x-amz-meta-${name.toLowerCase()}`] = headerValue(value);
  }
  if (object.storageClass === "InfrequentAccess") headers["x-amz-storage-class"] = s3StorageClass(object.storageClass);
  for (const [parameter, name] of Object.entries(RESPONSE_OVERRIDES)) {
    const value = query.get(parameter);
    if (value !== null) headers[name] = headerValue(value);
  }
  return headers;
}
