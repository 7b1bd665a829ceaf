import type { KVNamespacePutOptions } from "@cellar/kv";
import { invalidKVRequest } from "./kv-api-errors.js";
import { checkKeyName, checkValueLength, checkWriteOptions } from "./kv-write-checks.js";

/** Most pairs one bulk write or delete takes (Cloudflare's limit). */
export const MAX_BULK_PAIRS = 10_000;

/** One pair of a bulk write, checked and ready to store. */
export interface BulkWrite {
  readonly key: string;
  readonly value: string | Uint8Array;
  readonly options: KVNamespacePutOptions;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function optionalNumber(item: Record<string, unknown>, field: string, index: number): number | undefined {
  const value = item[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number") throw invalidKVRequest(`Item ${index}: ${field} must be a number of seconds.`);
  return value;
}

function checkCount(body: unknown, what: string): unknown[] {
  if (!Array.isArray(body)) throw invalidKVRequest(`The request body must be a JSON array of ${what}.`);
  if (body.length > MAX_BULK_PAIRS) throw invalidKVRequest(`A bulk request takes at most ${MAX_BULK_PAIRS} ${what}, got ${body.length}.`);
  return body;
}

/**
 * The pairs of `PUT /bulk` (`[{ key, value, base64?, expiration?, expiration_ttl?, metadata? }]`),
 * every one checked as a single write would be before any is stored, so a bad item refuses the
 * whole request and leaves the namespace as it was.
 */
export function parseBulkWrites(body: unknown, nowMs: number): BulkWrite[] {
  return checkCount(body, "key-value pairs").map((item, index) => {
    if (!isRecord(item)) throw invalidKVRequest(`Item ${index} must be an object with key and value.`);
    const { key, value, base64, metadata } = item;
    if (typeof key !== "string") throw invalidKVRequest(`Item ${index}: key must be a string.`);
    if (typeof value !== "string") throw invalidKVRequest(`Item ${index} (${JSON.stringify(key)}): value must be a string.`);
    if (base64 !== undefined && base64 !== null && typeof base64 !== "boolean") throw invalidKVRequest(`Item ${index}: base64 must be a boolean.`);
    checkKeyName(key);
    const expiration = optionalNumber(item, "expiration", index);
    const expirationTtl = optionalNumber(item, "expiration_ttl", index);
    const options: KVNamespacePutOptions = {
      ...(expiration === undefined ? {} : { expiration }),
      ...(expirationTtl === undefined ? {} : { expirationTtl }),
      ...(metadata === undefined || metadata === null ? {} : { metadata }),
    };
    checkWriteOptions(options, nowMs);
    let stored: string | Uint8Array = value;
    if (base64 === true) {
      const compact = value.replace(/\s+/g, "");
      if (compact.length % 4 === 1 || !BASE64.test(compact)) throw invalidKVRequest(`Item ${index} (${JSON.stringify(key)}): value is not valid base64.`);
      stored = Buffer.from(compact, "base64");
    }
    checkValueLength(typeof stored === "string" ? Buffer.byteLength(stored) : stored.byteLength);
    return { key, value: stored, options };
  });
}

/** The keys of a bulk delete (a JSON array of names), every one checked before any is deleted. */
export function parseBulkDeleteKeys(body: unknown): string[] {
  return checkCount(body, "keys").map((key, index) => {
    if (typeof key !== "string") throw invalidKVRequest(`Item ${index} must be a key name (a string).`);
    checkKeyName(key);
    return key;
  });
}

/** What a bulk read asks for: `{ keys, type?, withMetadata? }`. The gateway checks the rest. */
export interface BulkRead {
  readonly keys: string[];
  readonly type: string;
  readonly withMetadata: boolean;
}

export function parseBulkRead(body: unknown): BulkRead {
  if (!isRecord(body)) throw invalidKVRequest('The request body must be an object: { "keys": [...], "type"?, "withMetadata"? }.');
  const { keys, type, withMetadata } = body;
  if (!Array.isArray(keys) || !keys.every((key): key is string => typeof key === "string")) throw invalidKVRequest("keys must be an array of key names.");
  if (type !== undefined && typeof type !== "string") throw invalidKVRequest('type must be "text" or "json".');
  if (withMetadata !== undefined && typeof withMetadata !== "boolean") throw invalidKVRequest("withMetadata must be a boolean.");
  return { keys, type: type ?? "text", withMetadata: withMetadata ?? false };
}
