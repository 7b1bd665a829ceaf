import { decodeListCursor, R2_LIMITS, type R2ListOptions, type R2Objects } from "@cellar/r2";
import { s3StorageClass } from "../objects/object-headers.js";
import { r2ErrorToS3 } from "../r2-error-to-s3.js";
import type { S3Call } from "../s3-call.js";
import { s3Errors } from "../s3-error.js";
import { sendXml } from "../s3-response.js";
import type { XmlDocumentElement } from "../s3-xml.js";
import { existingBucket } from "./bucket-access.js";

const EMPTY_PAGE: R2Objects = { objects: [], delimitedPrefixes: [], truncated: false };

/**
 * `encoding-type=url`: S3 URL-encodes keys and prefixes so any key survives XML (`/` is left
 * as it is); clients decode them.
 */
function encoder(query: URLSearchParams): (text: string) => string {
  const encodingType = query.get("encoding-type");
  if (encodingType === null) return (text) => text;
  if (encodingType.toLowerCase() !== "url") throw s3Errors.invalidArgument("Invalid Encoding Method specified in Request");
  return (text) => encodeURIComponent(text).replace(/%2F/g, "/");
}

/** `max-keys`: 0 to 1,000 (more is capped at 1,000, as S3 does); default 1,000. */
function maxKeys(query: URLSearchParams): number {
  const text = query.get("max-keys");
  if (text === null) return R2_LIMITS.maxListLimit;
  if (!/^\d+$/.test(text)) throw s3Errors.invalidArgument("Provided max-keys not an integer or within integer range");
  return Math.min(Number(text), R2_LIMITS.maxListLimit);
}

async function listPage(call: S3Call, bucketName: string, limit: number, options: R2ListOptions): Promise<R2Objects> {
  const bucket = existingBucket(call.exchange.context.state, bucketName);
  if (bucket === undefined || limit === 0) return EMPTY_PAGE;
  try {
    return await bucket.list({ ...options, limit });
  } catch (error) {
    throw r2ErrorToS3(error);
  }
}

function optional(value: string | null, encode: (text: string) => string): string | undefined {
  return value === null ? undefined : encode(value);
}

function entries(page: R2Objects, encode: (text: string) => string, owner: boolean): { Contents: XmlDocumentElement[]; CommonPrefixes: XmlDocumentElement[] } {
  return {
    Contents: page.objects.map((object) => ({
      Key: encode(object.key),
      LastModified: object.uploaded.toISOString(),
      ETag: object.httpEtag,
      Size: object.size,
      StorageClass: s3StorageClass(object.storageClass),
      ...(owner ? { Owner: { ID: "cellar", DisplayName: "cellar" } } : {}),
    })),
    CommonPrefixes: page.delimitedPrefixes.map((prefix) => ({ Prefix: encode(prefix) })),
  };
}

/**
 * ListObjectsV2 (`GET /<bucket>?list-type=2`): prefix, delimiter (CommonPrefixes), max-keys,
 * continuation-token (R2's cursor, base64url), start-after, encoding-type=url, fetch-owner.
 */
export async function listObjectsV2(call: S3Call, bucketName: string): Promise<void> {
  const query = call.exchange.url.searchParams;
  const encode = encoder(query);
  const limit = maxKeys(query);
  const prefix = query.get("prefix");
  const delimiter = query.get("delimiter");
  const token = query.get("continuation-token");
  const startAfter = query.get("start-after");
  if (token === "") throw s3Errors.invalidArgument("The continuation token provided is incorrect");
  const page = await listPage(call, bucketName, limit, {
    ...(prefix === null ? {} : { prefix }),
    ...(delimiter === null ? {} : { delimiter }),
    ...(token === null ? {} : { cursor: token }),
    ...(startAfter === null ? {} : { startAfter }),
  });
  const { Contents, CommonPrefixes } = entries(page, encode, query.get("fetch-owner") === "true");
  sendXml(call.exchange, 200, "ListBucketResult", {
    Name: bucketName,
    Prefix: encode(prefix ?? ""),
    Delimiter: optional(delimiter, encode),
    MaxKeys: limit,
    EncodingType: query.get("encoding-type") ?? undefined,
    KeyCount: Contents.length + CommonPrefixes.length,
    IsTruncated: page.truncated,
    ContinuationToken: token ?? undefined,
    NextContinuationToken: page.truncated ? Buffer.from(page.cursor, "base64").toString("base64url") : undefined,
    StartAfter: optional(startAfter, encode),
    Contents,
    CommonPrefixes,
  });
}

/** ListObjects (v1, `GET /<bucket>`): prefix, delimiter, max-keys, marker; NextMarker whenever the page is truncated. */
export async function listObjectsV1(call: S3Call, bucketName: string): Promise<void> {
  const query = call.exchange.url.searchParams;
  const encode = encoder(query);
  const limit = maxKeys(query);
  const prefix = query.get("prefix");
  const delimiter = query.get("delimiter");
  const marker = query.get("marker");
  const page = await listPage(call, bucketName, limit, {
    ...(prefix === null ? {} : { prefix }),
    ...(delimiter === null ? {} : { delimiter }),
    ...(marker === null || marker === "" ? {} : { startAfter: marker }),
  });
  const { Contents, CommonPrefixes } = entries(page, encode, true);
  sendXml(call.exchange, 200, "ListBucketResult", {
    Name: bucketName,
    Prefix: encode(prefix ?? ""),
    Marker: encode(marker ?? ""),
    NextMarker: page.truncated ? encode(decodeListCursor(page.cursor)) : undefined,
    MaxKeys: limit,
    Delimiter: optional(delimiter, encode),
    EncodingType: query.get("encoding-type") ?? undefined,
    IsTruncated: page.truncated,
    Contents,
    CommonPrefixes,
  });
}
