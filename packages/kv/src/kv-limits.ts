/**
 * Production limits of Workers KV (Cloudflare docs), which the gateway enforces with the
 * runtime's exact messages. Only the sizes can be lowered (see {@link KVLimitsOptions}), the
 * way Miniflare's test hooks lower the value limit to 1 KiB.
 */
export const KV_LIMITS = Object.freeze({
  /** Longest key, in UTF-8 bytes. */
  maxKeySize: 512,
  /** Longest value, in bytes (25 MiB). */
  maxValueSize: 25 * 1024 * 1024,
  /** Longest metadata, in UTF-8 bytes of its JSON. */
  maxMetadataSize: 1024,
  /** Largest total of a bulk read, in JavaScript string length of the decoded values (25 MiB). */
  maxBulkSize: 25 * 1024 * 1024,
  /** Most keys one `list` returns; also its default page size. */
  maxListKeys: 1000,
  /** Most keys one bulk `get` takes. */
  maxBulkKeys: 100,
  /** Smallest accepted `cacheTtl`, in seconds. */
  minCacheTtl: 30,
  /** Smallest accepted `expirationTtl`, and how far ahead an `expiration` must be, in seconds. */
  minExpirationTtl: 60,
});

/** Sizes a namespace may enforce instead of production's; everything else is fixed. */
export interface KVLimitsOptions {
  /** Longest value in bytes. Default 26,214,400 (25 MiB). */
  readonly maxValueSize?: number;
  /** Longest metadata JSON in UTF-8 bytes. Default 1024. */
  readonly maxMetadataSize?: number;
  /** Largest total of a bulk read. Default 26,214,400. */
  readonly maxBulkSize?: number;
}

/** The limits one namespace enforces. */
export type KVResolvedLimits = { -readonly [K in keyof typeof KV_LIMITS]: number };

/**
 * Production limits with the caller's overrides applied.
 *
 * @throws {TypeError} when an override is not a positive safe integer.
 */
export function resolveKVLimits(overrides: KVLimitsOptions = {}): KVResolvedLimits {
  const limits: KVResolvedLimits = { ...KV_LIMITS };
  for (const name of ["maxValueSize", "maxMetadataSize", "maxBulkSize"] as const) {
    const value = overrides[name];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new TypeError(`limits.${name} must be a positive integer, got ${String(value)}`);
    }
    limits[name] = value;
  }
  return limits;
}
