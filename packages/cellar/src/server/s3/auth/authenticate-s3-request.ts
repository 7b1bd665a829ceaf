import type { Exchange } from "../../exchange.js";
import { S3Error, s3Errors } from "../s3-error.js";
import {
  canonicalHeaders,
  canonicalQuery,
  canonicalUri,
  deriveSigningKey,
  hmac,
  parseAmzDate,
  requestStringToSign,
  signaturesEqual,
  SIGV4_ALGORITHM,
} from "./sigv4-primitives.js";
import type { SigningContext } from "./signing-context.js";

/** The most a presigned URL may live, as on S3: 7 days. */
const MAX_PRESIGNED_EXPIRY_SECONDS = 604_800;
const AUTHORIZATION = /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-fA-F]+)\s*$/;

/** One signature to check: where its parts came from differs between headers and presigned queries. */
interface SignedRequest {
  readonly credential: string;
  readonly signedHeaders: string;
  readonly signature: string;
  readonly amzDate: string;
  readonly payloadHash: string;
  /** Query parameters left out of the canonical query (the signature itself, when presigned). */
  readonly excludedQuery: ReadonlySet<string>;
}

function malformed(message: string): S3Error {
  return new S3Error("AuthorizationHeaderMalformed", 400, message);
}

function queryMalformed(message: string): S3Error {
  return new S3Error("AuthorizationQueryParametersError", 400, message);
}

/**
 * Checks a request's credentials. A presigned URL past `X-Amz-Date + X-Amz-Expires` (by the
 * server's clock) is refused whether or not credentials are configured. Without configured
 * credentials, that is all: any signature, or none, is accepted. With them, the request must
 * carry a valid SigV4 signature (an `Authorization` header, or a presigned query) by that key
 * pair, for any region and the service `s3`.
 *
 * @returns the signing context for chunk signatures when a signature was verified
 * @throws {S3Error} AccessDenied (missing or expired), InvalidAccessKeyId, SignatureDoesNotMatch, or a malformed-authorization error
 */
export function authenticateS3Request(exchange: Exchange): SigningContext | undefined {
  const { request, url, context } = exchange;
  const presigned = url.searchParams.has("X-Amz-Signature") || url.searchParams.has("X-Amz-Credential");
  if (presigned) checkPresignedExpiry(url.searchParams, context.clock.now());
  const credentials = context.s3Credentials;
  if (credentials === undefined) return undefined;

  const signed = presigned ? fromQuery(url.searchParams) : fromHeaders(exchange);
  const [accessKeyId, date, region, service, terminator, ...extra] = signed.credential.split("/");
  if (extra.length > 0 || terminator !== "aws4_request" || date === undefined || region === undefined || service !== "s3") {
    throw malformed(`The authorization credential is malformed: ${signed.credential}`);
  }
  if (accessKeyId !== credentials.accessKeyId) throw s3Errors.invalidAccessKeyId();
  if (!signed.amzDate.startsWith(date)) throw malformed("The credential date does not match the request date.");

  const signedHeaderNames = signed.signedHeaders.split(";");
  if (!signedHeaderNames.includes("host")) throw malformed("The host header must be signed.");
  const rawTarget = request.url ?? "/";
  const questionMark = rawTarget.indexOf("?");
  const rawPath = questionMark === -1 ? rawTarget : rawTarget.slice(0, questionMark);
  const rawQuery = questionMark === -1 ? "" : rawTarget.slice(questionMark + 1);
  const canonicalRequest = [
    request.method ?? "GET",
    canonicalUri(rawPath),
    canonicalQuery(rawQuery, signed.excludedQuery),
    canonicalHeaders(request, signedHeaderNames),
    signed.signedHeaders,
    signed.payloadHash,
  ].join("\n");
  const scope = `${date}/${region}/${service}/aws4_request`;
  const signingKey = deriveSigningKey(credentials.secretAccessKey, date, region, service);
  const expected = hmac(signingKey, requestStringToSign(signed.amzDate, scope, canonicalRequest)).toString("hex");
  if (!signaturesEqual(expected, signed.signature)) throw s3Errors.signatureDoesNotMatch();
  return { signingKey, scope, amzDate: signed.amzDate, seedSignature: expected };
}

function checkPresignedExpiry(query: URLSearchParams, now: number): void {
  const amzDate = query.get("X-Amz-Date");
  const expires = query.get("X-Amz-Expires");
  if (amzDate === null || expires === null) throw queryMalformed("A presigned URL needs X-Amz-Date and X-Amz-Expires.");
  const signedAt = parseAmzDate(amzDate);
  const seconds = Number(expires);
  if (Number.isNaN(signedAt)) throw queryMalformed(`X-Amz-Date must be in the ISO8601 basic format, got ${amzDate}.`);
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_PRESIGNED_EXPIRY_SECONDS) {
    throw queryMalformed("X-Amz-Expires must be a whole number of seconds from 0 to 604800.");
  }
  if (now > signedAt + seconds * 1000) throw s3Errors.requestExpired();
}

function fromQuery(query: URLSearchParams): SignedRequest {
  if (query.get("X-Amz-Algorithm") !== SIGV4_ALGORITHM) throw queryMalformed(`X-Amz-Algorithm must be ${SIGV4_ALGORITHM}.`);
  const credential = query.get("X-Amz-Credential");
  const signedHeaders = query.get("X-Amz-SignedHeaders");
  const signature = query.get("X-Amz-Signature");
  if (credential === null || signedHeaders === null || signature === null) {
    throw queryMalformed("A presigned URL needs X-Amz-Credential, X-Amz-SignedHeaders and X-Amz-Signature.");
  }
  return {
    credential,
    signedHeaders,
    signature,
    amzDate: query.get("X-Amz-Date") ?? "",
    payloadHash: query.get("X-Amz-Content-Sha256") ?? "UNSIGNED-PAYLOAD",
    excludedQuery: new Set(["X-Amz-Signature"]),
  };
}

function fromHeaders({ request }: Exchange): SignedRequest {
  const authorization = request.headers.authorization;
  if (authorization === undefined) throw s3Errors.accessDenied("Access Denied: the request is not signed.");
  const match = AUTHORIZATION.exec(authorization);
  if (match === null) {
    if (authorization.startsWith("AWS ")) throw s3Errors.invalidRequest("Only AWS Signature Version 4 (AWS4-HMAC-SHA256) is supported.");
    throw malformed("The authorization header is malformed.");
  }
  const amzDate = request.headers["x-amz-date"];
  if (typeof amzDate !== "string") throw s3Errors.accessDenied("Access Denied: the request has no x-amz-date header.");
  const payloadHash = request.headers["x-amz-content-sha256"];
  if (typeof payloadHash !== "string") throw s3Errors.invalidRequest("Missing required header for this request: x-amz-content-sha256");
  return { credential: match[1]!, signedHeaders: match[2]!, signature: match[3]!, amzDate, payloadHash, excludedQuery: new Set() };
}
