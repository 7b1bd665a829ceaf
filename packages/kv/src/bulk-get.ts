import { decodeText } from "./decode-value.js";
import { kvServiceError } from "./kv-errors.js";
import type { KVResolvedLimits } from "./kv-limits.js";
import type { ParsedGetOptions } from "./get-options.js";
import { validateCacheTtl } from "./get-options.js";
import { validateBulkKey } from "./validate-key.js";

/** A bulk read's source of values: a live entry's bytes and metadata JSON, or `null`. */
export type ReadForBulk = (key: string) => Promise<{ bytes: Uint8Array; metadata: string | null } | null>;

/**
 * A bulk `get` / `getWithMetadata`, checked in the service's order: the type, then the key count,
 * then each key in order (its name, `cacheTtl`, and the JSON parse of its value), then the total
 * size of the decoded values. Duplicate keys collapse into one entry of the `Map`, which follows
 * the order of the keys.
 *
 * Unlike Miniflare (K9), with metadata every present key maps to `{ value, metadata }`, falsy
 * values (`""`, `0`, `false`, `null`) included; a missing key maps to `null`.
 */
export async function bulkGet(
  keys: readonly string[],
  options: ParsedGetOptions,
  withMetadata: boolean,
  limits: KVResolvedLimits,
  read: ReadForBulk,
): Promise<Map<string, unknown>> {
  const { type, cacheTtl } = options;
  if (type !== "text" && type !== "json") {
    throw kvServiceError("GET_BULK", 400, `"${type}" is not a valid type. Use "json" or "text"`);
  }
  if (keys.length > limits.maxBulkKeys) {
    throw kvServiceError("GET_BULK", 400, `You can request a maximum of ${limits.maxBulkKeys} keys`);
  }
  if (keys.length < 1) throw kvServiceError("GET_BULK", 400, "You must request a minimum of 1 key");

  // Read every distinct key in parallel, up to the first one that fails its checks: keys after it
  // are never read, as the service stops there. Errors surface below, in key order.
  const reads = new Map<string, ReturnType<ReadForBulk>>();
  const cacheTtlValid = cacheTtl === undefined || cacheTtl >= limits.minCacheTtl;
  for (const key of keys) {
    if (!cacheTtlValid || !isValidBulkKey(key, limits)) break;
    if (!reads.has(key)) {
      const reading = read(key);
      reading.catch(() => {});
      reads.set(key, reading);
    }
  }

  const result = new Map<string, unknown>();
  const sizes = new Map<string, number>();
  let totalSize = 0;
  for (const key of keys) {
    validateBulkKey(key, limits.maxKeySize);
    validateCacheTtl("GET_BULK", cacheTtl, limits.minCacheTtl);
    const known = sizes.get(key);
    if (known !== undefined) {
      totalSize += known;
      continue;
    }
    const stored = await reads.get(key)!;
    if (stored === null) {
      result.set(key, null);
      sizes.set(key, 0);
      continue;
    }
    const text = decodeText(stored.bytes);
    let value: unknown = text;
    if (type === "json") {
      try {
        value = JSON.parse(text);
      } catch {
        throw kvServiceError("GET_BULK", 400, "At least one of the requested keys corresponds to a non-json value");
      }
    }
    // The service counts JavaScript string length, not bytes.
    sizes.set(key, text.length);
    totalSize += text.length;
    result.set(key, withMetadata ? { value, metadata: stored.metadata === null ? null : JSON.parse(stored.metadata) } : value);
  }
  if (totalSize > limits.maxBulkSize) {
    throw kvServiceError("GET_BULK", 413, `Total size of request exceeds the limit of ${limits.maxBulkSize / 1024 / 1024}MB`);
  }
  return result;
}

function isValidBulkKey(key: string, limits: KVResolvedLimits): boolean {
  try {
    validateBulkKey(key, limits.maxKeySize);
    return true;
  } catch {
    return false;
  }
}
