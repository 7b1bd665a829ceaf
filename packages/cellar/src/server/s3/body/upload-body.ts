import { FixedLengthStream } from "@cellar/r2";
import type { Exchange } from "../../exchange.js";
import type { SigningContext } from "../auth/signing-context.js";
import { r2ErrorToS3, type R2ErrorSubject } from "../r2-error-to-s3.js";
import { s3Errors, type S3Error } from "../s3-error.js";
import { AwsChunkedDecoder } from "./aws-chunked-decoder.js";
import { ChecksumVerifier, type ChecksumCheck } from "./checksum-verifier.js";
import { requestBodyStream } from "./request-body-stream.js";

/** The one hash R2 verifies and stores itself (R2 takes at most one), as hex. */
export type R2HashOption = { md5: string } | { sha1: string } | { sha256: string } | Record<string, never>;

/** A request body ready for `put` or `uploadPart`: decoded, checked while it streams, of known length. */
export interface UploadBody {
  /** The decoded body: the readable half of a `FixedLengthStream`, so R2 knows its length. */
  readonly stream: ReadableStream<Uint8Array>;
  /** The decoded length in bytes. */
  readonly length: number;
  /** Pass to `put` as its hash option: R2 checks it and keeps it in the object's checksums. */
  readonly r2Hash: R2HashOption;
  /** Headers echoing every checksum that was verified; call once the body has been stored. */
  echoHeaders(): Record<string, string>;
  /** The S3 error for a failed store: the body's own fault (bad checksum, broken chunking) first, else the R2 error. */
  failure(error: unknown, subject?: R2ErrorSubject): S3Error;
}

/** Checksums S3 clients send (`x-amz-checksum-<name>`, base64) that can be verified here, with their digest sizes. */
const FLEXIBLE_CHECKSUMS = { crc32: 4, crc32c: 4, sha1: 20, sha256: 32 } as const;
type FlexibleChecksum = keyof typeof FLEXIBLE_CHECKSUMS;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function header(exchange: Exchange, name: string): string | undefined {
  const value = exchange.request.headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}

function base64Digest(value: string, bytes: number): Buffer {
  const decoded = BASE64.test(value) ? Buffer.from(value, "base64") : Buffer.alloc(0);
  if (decoded.byteLength !== bytes) throw s3Errors.invalidDigest();
  return decoded;
}

function declaredLength(exchange: Exchange, chunked: boolean): number {
  const text = chunked ? header(exchange, "x-amz-decoded-content-length") : header(exchange, "content-length");
  if (text === undefined) throw s3Errors.missingContentLength();
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(Number(text))) throw s3Errors.invalidArgument(`The content length ${text} is not valid.`);
  return Number(text);
}

/**
 * Opens the body of a PutObject, UploadPart or XML request. `aws-chunked` bodies are decoded
 * (their length is `x-amz-decoded-content-length`); `Content-MD5`, `x-amz-content-sha256` and
 * `x-amz-checksum-crc32|crc32c|sha1|sha256` (headers or trailers) are verified. With
 * `r2Verifies`, one of MD5/SHA-1/SHA-256 is left to R2, which then stores it; the rest are
 * computed here while the body streams and a mismatch fails the stream, so nothing is stored.
 * `x-amz-checksum-crc64nvme` is neither verified nor echoed.
 *
 * @throws {S3Error} MissingContentLength, InvalidDigest, InvalidArgument
 */
export function openUploadBody(exchange: Exchange, signing: SigningContext | undefined, options: { r2Verifies: boolean }): UploadBody {
  const payloadMode = header(exchange, "x-amz-content-sha256") ?? "";
  const chunked = /(^|,)\s*aws-chunked\s*(,|$)/i.test(header(exchange, "content-encoding") ?? "") || payloadMode.startsWith("STREAMING-");
  const length = declaredLength(exchange, chunked);
  const checks: ChecksumCheck[] = [];
  let r2Hash: R2HashOption = {};
  const r2Echo: Record<string, string> = {};

  const contentMd5 = header(exchange, "content-md5");
  if (contentMd5 !== undefined) {
    const hex = base64Digest(contentMd5.trim(), 16).toString("hex");
    if (options.r2Verifies) r2Hash = { md5: hex };
    else checks.push({ algorithm: "md5", encoding: "hex", expected: () => hex, mismatch: () => s3Errors.badDigest() });
  }
  if (/^[0-9a-fA-F]{64}$/.test(payloadMode)) {
    checks.push({ algorithm: "sha256", encoding: "hex", expected: () => payloadMode, mismatch: () => s3Errors.contentSha256Mismatch() });
  }

  let decoder: AwsChunkedDecoder | undefined;
  if (chunked) decoder = new AwsChunkedDecoder(payloadMode.startsWith("STREAMING-AWS4-HMAC-SHA256-PAYLOAD") ? signing : undefined);
  const trailerNames = new Set((header(exchange, "x-amz-trailer") ?? "").split(",").map((name) => name.trim().toLowerCase()));
  for (const algorithm of Object.keys(FLEXIBLE_CHECKSUMS) as FlexibleChecksum[]) {
    const name = `x-amz-checksum-${algorithm}`;
    const given = header(exchange, name)?.trim();
    if (given !== undefined) {
      const digest = base64Digest(given, FLEXIBLE_CHECKSUMS[algorithm]);
      if (options.r2Verifies && (algorithm === "sha1" || algorithm === "sha256") && !("md5" in r2Hash) && Object.keys(r2Hash).length === 0) {
        r2Hash = algorithm === "sha1" ? { sha1: digest.toString("hex") } : { sha256: digest.toString("hex") };
        r2Echo[name] = given;
        continue;
      }
      checks.push({ algorithm, encoding: "base64", expected: () => given, mismatch: () => s3Errors.badDigest(), echoHeader: name });
    } else if (decoder !== undefined && trailerNames.has(name)) {
      const trailers = decoder.trailers;
      checks.push({ algorithm, encoding: "base64", expected: () => trailers.get(name), mismatch: () => s3Errors.badDigest(), echoHeader: name });
    }
  }

  let stream = requestBodyStream(exchange.request);
  if (decoder !== undefined) stream = stream.pipeThrough(decoder);
  const verifier = checks.length === 0 ? undefined : new ChecksumVerifier(checks);
  if (verifier !== undefined) stream = stream.pipeThrough(verifier);
  return {
    stream: stream.pipeThrough(new FixedLengthStream(length)),
    length,
    r2Hash,
    echoHeaders: () => ({ ...r2Echo, ...verifier?.verified }),
    failure: (error, subject) => decoder?.failure ?? verifier?.failure ?? r2ErrorToS3(error, subject),
  };
}
