import { toBindingString } from "./binding-values.js";
import { isHeaders } from "./headers.js";
import type { R2HTTPMetadata, R2WritableHeaders } from "./r2-types.js";

/**
 * HTTP metadata as `_mf_objects.http_metadata` holds it (Miniflare's JSON shape): the five
 * strings and `cacheExpiry` in epoch milliseconds, keys in Miniflare's order.
 */
export interface StoredHttpMetadata {
  contentType?: string;
  contentLanguage?: string;
  contentDisposition?: string;
  contentEncoding?: string;
  cacheControl?: string;
  cacheExpiry?: number;
}

const STRING_FIELDS = ["contentType", "contentLanguage", "contentDisposition", "contentEncoding", "cacheControl"] as const;
const HEADER_NAMES = {
  contentType: "content-type",
  contentLanguage: "content-language",
  contentDisposition: "content-disposition",
  contentEncoding: "content-encoding",
  cacheControl: "cache-control",
} as const;

/**
 * Reads `httpMetadata` as the binding does: an object keeps the six known fields (strings are
 * converted, `cacheExpiry` must be a `Date`) and drops the rest; `Headers` give `content-type`,
 * `content-language`, `content-disposition`, `content-encoding`, `cache-control` and `expires`
 * (as `cacheExpiry`). Absent means `{}`.
 *
 * @throws {TypeError} for a value that is neither, or a `cacheExpiry` that is not a `Date`.
 */
export function parseHttpMetadata(value: unknown): StoredHttpMetadata {
  const stored: StoredHttpMetadata = {};
  if (value === undefined || value === null) return stored;
  if (isHeaders(value)) {
    for (const field of STRING_FIELDS) {
      const header = value.get(HEADER_NAMES[field]);
      if (header !== null) stored[field] = header;
    }
    const expires = value.get("expires");
    const time = expires === null ? Number.NaN : Date.parse(expires);
    // An unparseable `Expires` is ignored, as an HTTP cache ignores it.
    if (!Number.isNaN(time)) stored.cacheExpiry = time;
    return stored;
  }
  if (typeof value !== "object") throw new TypeError("httpMetadata must be an object or a Headers instance");
  const fields = value as Record<string, unknown>;
  for (const field of STRING_FIELDS) {
    if (fields[field] !== undefined) stored[field] = toBindingString(fields[field]);
  }
  const expiry = fields.cacheExpiry;
  if (expiry !== undefined) {
    if (!(expiry instanceof Date)) throw new TypeError("httpMetadata.cacheExpiry must be a Date");
    stored.cacheExpiry = expiry.getTime();
  }
  return stored;
}

/** The `R2HTTPMetadata` of a stored JSON text (or stored object): the known fields, `cacheExpiry` as a `Date`. */
export function httpMetadataOf(stored: string | StoredHttpMetadata): R2HTTPMetadata {
  const fields = (typeof stored === "string" ? JSON.parse(stored) : stored) as Record<string, unknown>;
  const metadata: R2HTTPMetadata = {};
  for (const field of STRING_FIELDS) {
    if (typeof fields[field] === "string") metadata[field] = fields[field];
  }
  if (typeof fields.cacheExpiry === "number") metadata.cacheExpiry = new Date(fields.cacheExpiry);
  return metadata;
}

/** Sets the response headers `metadata` describes (`writeHttpMetadata`); `expires` in HTTP date format. */
export function writeHttpMetadataHeaders(metadata: R2HTTPMetadata, headers: R2WritableHeaders): void {
  for (const field of STRING_FIELDS) {
    const value = metadata[field];
    if (value !== undefined) headers.set(HEADER_NAMES[field], value);
  }
  if (metadata.cacheExpiry !== undefined) headers.set("expires", metadata.cacheExpiry.toUTCString());
}
