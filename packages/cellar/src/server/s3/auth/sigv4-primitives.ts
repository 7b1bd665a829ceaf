import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

/** The algorithm name of AWS Signature Version 4, as it appears in headers and queries. */
export const SIGV4_ALGORITHM = "AWS4-HMAC-SHA256";
/** The hex SHA-256 of nothing, which chunk signatures include. */
export const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

export function hmac(key: Uint8Array | string, data: string): Buffer {
  return createHmac("sha256", key).update(data, "utf8").digest();
}

/** The key of one day, region and service: `HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service), "aws4_request")`. */
export function deriveSigningKey(secretAccessKey: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), region), service), "aws4_request");
}

/** Compares two hex signatures in constant time. */
export function signaturesEqual(expected: string, given: string): boolean {
  const a = Buffer.from(expected, "utf8");
  const b = Buffer.from(given.toLowerCase(), "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}

/** SigV4's URI encoding: everything but `A-Z a-z 0-9 - _ . ~` as `%XX` of its UTF-8 bytes. */
export function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}

function decodeLeniently(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The canonical URI of a request path as S3 signs it: each segment encoded once. The path is
 * decoded and re-encoded, so a client that left a character unencoded (or encoded one that
 * needs none) still matches.
 */
export function canonicalUri(rawPath: string): string {
  return rawPath.split("/").map((segment) => uriEncode(decodeLeniently(segment))).join("/") || "/";
}

/** The canonical query string: encoded names and values, sorted, without the parameters in `exclude`. */
export function canonicalQuery(rawQuery: string, exclude: ReadonlySet<string> = new Set()): string {
  const pairs: [string, string][] = [];
  for (const part of rawQuery.split("&")) {
    if (part === "") continue;
    const equals = part.indexOf("=");
    const name = decodeLeniently(equals === -1 ? part : part.slice(0, equals));
    if (exclude.has(name)) continue;
    const value = equals === -1 ? "" : decodeLeniently(part.slice(equals + 1));
    pairs.push([uriEncode(name), uriEncode(value)]);
  }
  pairs.sort(([nameA, valueA], [nameB, valueB]) => (nameA < nameB ? -1 : nameA > nameB ? 1 : valueA < valueB ? -1 : valueA > valueB ? 1 : 0));
  return pairs.map(([name, value]) => `${name}=${value}`).join("&");
}

/** The canonical headers block (`name:value\n` each) of the signed headers, values trimmed and inner runs of spaces collapsed. */
export function canonicalHeaders(request: IncomingMessage, signedHeaders: readonly string[]): string {
  return signedHeaders
    .map((name) => {
      const values = request.headersDistinct[name] ?? [];
      return `${name}:${values.map((value) => value.trim().replace(/ +/g, " ")).join(",")}\n`;
    })
    .join("");
}

/** The string a request signature signs. */
export function requestStringToSign(amzDate: string, scope: string, canonicalRequest: string): string {
  return `${SIGV4_ALGORITHM}\n${amzDate}\n${scope}\n${sha256Hex(canonicalRequest)}`;
}

/** `20240102T030405Z` as epoch ms, or NaN. */
export function parseAmzDate(text: string): number {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (match === null) return Number.NaN;
  const [, year, month, day, hour, minute, second] = match.map(Number) as [number, number, number, number, number, number, number];
  return Date.UTC(year, month - 1, day, hour, minute, second);
}
