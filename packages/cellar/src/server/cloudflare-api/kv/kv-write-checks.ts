import { KV_LIMITS, type KVNamespacePutOptions } from "@cellar/kv";
import { invalidKVRequest, kvPayloadTooLarge } from "./kv-api-errors.js";
import { CloudflareApiError } from "../api-error.js";
import { API_ERROR_CODES } from "../api-error-codes.js";

/*
 * The KV service's checks of a write, run before anything is read or stored. The gateway runs
 * them again on every `put`; running them first here is what lets a request body be streamed into
 * KV only once it is known to be acceptable (a refusal half-way would leave the client sending to
 * a closed door), and lets a bulk write be refused as a whole instead of half-applied. Messages
 * are the gateway's.
 */

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

const encoder = new TextEncoder();

/** The integer the binding sends for an option: non-finite values become 0, others are truncated. */
function toInteger(value: unknown): number {
  const number = Number(value);
  if (!Number.isFinite(number)) return 0;
  if (number > INT32_MAX || number < INT32_MIN) {
    throw invalidKVRequest(`Value out of range. Must be between ${INT32_MIN} and ${INT32_MAX} (inclusive).`);
  }
  return Math.trunc(number) | 0;
}

/** A key name's rules: not empty, not `.` or `..`, at most 512 UTF-8 bytes (414, as the service answers). */
export function checkKeyName(key: string): void {
  if (key === "") throw invalidKVRequest("Key name cannot be empty.");
  if (key === "." || key === "..") throw invalidKVRequest(`"${key}" is not allowed as a key name.`);
  const length = encoder.encode(key).byteLength;
  if (length > KV_LIMITS.maxKeySize) {
    throw new CloudflareApiError(414, API_ERROR_CODES.kvInvalidRequest, `UTF-8 encoded length of ${length} exceeds key length limit of ${KV_LIMITS.maxKeySize}.`);
  }
}

/** A value's size rule, for a length known before the value is read. */
export function checkValueLength(length: number): void {
  if (length > KV_LIMITS.maxValueSize) throw kvPayloadTooLarge(`Value length of ${length} exceeds limit of ${KV_LIMITS.maxValueSize}.`);
}

/**
 * Expiration, TTL and metadata, in the service's order: a TTL wins over an absolute time (which is
 * then not checked), then the metadata's JSON size. `nowMs` is the server's clock.
 */
export function checkWriteOptions(options: KVNamespacePutOptions, nowMs: number): void {
  const now = Math.floor(nowMs / 1000);
  const minimum = KV_LIMITS.minExpirationTtl;
  if (options.expirationTtl !== undefined) {
    const ttl = toInteger(options.expirationTtl);
    if (ttl <= 0) throw invalidKVRequest(`Invalid expiration_ttl of ${ttl}. Please specify integer greater than 0.`);
    if (ttl < minimum) throw invalidKVRequest(`Invalid expiration_ttl of ${ttl}. Expiration TTL must be at least ${minimum}.`);
  } else if (options.expiration !== undefined) {
    const at = toInteger(options.expiration);
    if (at <= now) {
      throw invalidKVRequest(`Invalid expiration of ${at}. Please specify integer greater than the current number of seconds since the UNIX epoch.`);
    }
    if (at < now + minimum) throw invalidKVRequest(`Invalid expiration of ${at}. Expiration times must be at least ${minimum} seconds in the future.`);
  }
  if (options.metadata !== undefined && options.metadata !== null) {
    const length = encoder.encode(JSON.stringify(options.metadata)).byteLength;
    if (length > KV_LIMITS.maxMetadataSize) throw kvPayloadTooLarge(`Metadata length of ${length} exceeds limit of ${KV_LIMITS.maxMetadataSize}.`);
  }
}

/**
 * `?expiration=&expiration_ttl=` of a value write as `put` options. An empty parameter counts as
 * absent; anything else goes through as a number, so `abc` is refused as the binding refuses NaN.
 */
export function expiryFromQuery(query: URLSearchParams): Pick<KVNamespacePutOptions, "expiration" | "expirationTtl"> {
  const expiration = query.get("expiration");
  const ttl = query.get("expiration_ttl");
  return {
    ...(expiration === null || expiration === "" ? {} : { expiration: Number(expiration) }),
    ...(ttl === null || ttl === "" ? {} : { expirationTtl: Number(ttl) }),
  };
}
