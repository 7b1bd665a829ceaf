import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { R2Object, R2ObjectBody } from "@cellar/r2";
import { existingBucket } from "../buckets/bucket-access.js";
import { r2ErrorToS3 } from "../r2-error-to-s3.js";
import { requestHeader, type S3Call } from "../s3-call.js";
import { s3Errors } from "../s3-error.js";
import { objectHeaders } from "./object-headers.js";
import { evaluateConditions } from "./s3-conditions.js";
import { selectRange } from "./s3-range.js";

/** How often a read starts over when the object is replaced between its metadata read and its body read. */
const ATTEMPTS = 3;

/** Stored checksums S3 can return with `x-amz-checksum-mode: ENABLED`, by R2 name. */
const ECHOED_CHECKSUMS = ["sha1", "sha256"] as const;

/**
 * GetObject and HeadObject: conditional headers (304/412), one `Range` (206 with
 * `Content-Range`, 416 when unsatisfiable), `response-*` overrides; the body streams from R2.
 * Metadata is read first so conditions and ranges are judged against one version, then the body
 * is read with `etagMatches` on that version, so a concurrent overwrite cannot mix two objects.
 */
export async function getObject(call: S3Call, bucketName: string, key: string): Promise<void> {
  const { exchange } = call;
  if (exchange.url.searchParams.has("partNumber")) throw s3Errors.notImplemented("GetObject by partNumber");
  const withBody = exchange.request.method !== "HEAD";
  const bucket = existingBucket(exchange.context.state, bucketName);
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const object = await (bucket?.head(key) ?? null);
    if (object === null) throw s3Errors.noSuchKey(key);
    const verdict = evaluateConditions(
      {
        ifMatch: requestHeader(call, "if-match"),
        ifNoneMatch: requestHeader(call, "if-none-match"),
        ifModifiedSince: requestHeader(call, "if-modified-since"),
        ifUnmodifiedSince: requestHeader(call, "if-unmodified-since"),
      },
      object,
    );
    if (verdict === 304) {
      exchange.response.writeHead(304, { etag: object.httpEtag, "last-modified": object.uploaded.toUTCString() }).end();
      return;
    }
    if (verdict !== undefined) throw verdict;
    const range = selectRange(requestHeader(call, "range"), object.size);
    const headers = objectHeaders(object, exchange.url.searchParams);
    if (range.kind === "range") headers["content-range"] = `bytes ${range.start}-${range.end}/${object.size}`;
    headers["content-length"] = range.kind === "range" ? range.end - range.start + 1 : object.size;
    if (range.kind === "whole" && requestHeader(call, "x-amz-checksum-mode")?.toUpperCase() === "ENABLED") Object.assign(headers, storedChecksums(object));
    const status = range.kind === "range" ? 206 : 200;
    if (!withBody) {
      exchange.response.writeHead(status, headers).end();
      return;
    }
    let read: R2ObjectBody | R2Object | null;
    try {
      read = await bucket!.get(key, {
        onlyIf: { etagMatches: object.etag },
        ...(range.kind === "range" ? { range: { offset: range.start, length: range.end - range.start + 1 } } : {}),
      });
    } catch (error) {
      throw r2ErrorToS3(error, { key });
    }
    if (read === null) throw s3Errors.noSuchKey(key);
    // Replaced by different content since `head`: judge the conditions and range again.
    if (!("body" in read)) continue;
    exchange.response.writeHead(status, headers);
    await sendBody(exchange.response, read.body);
    return;
  }
  throw s3Errors.internalError(new Error(`"${key}" kept changing while it was read`));
}

function storedChecksums(object: R2Object): Record<string, string> {
  const headers: Record<string, string> = {};
  const checksums = object.checksums.toJSON();
  for (const name of ECHOED_CHECKSUMS) {
    const hex = checksums[name];
    if (hex !== undefined) headers[`x-amz-checksum-${name}`] = Buffer.from(hex, "hex").toString("base64");
  }
  return headers;
}

/** Streams an object body to the response; a client that goes away cancels the read, so R2 releases its blobs. */
async function sendBody(response: import("node:http").ServerResponse, body: ReadableStream<Uint8Array>): Promise<void> {
  try {
    await pipeline(Readable.fromWeb(body as import("node:stream/web").ReadableStream<Uint8Array>), response);
  } catch {
    // The client disconnected or the blob read failed mid-body; pipeline has destroyed both ends.
  }
}
