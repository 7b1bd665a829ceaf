const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const TiB = 1024 * GiB;

/**
 * Production limits of R2 (Cloudflare docs), which the bucket enforces with the service's error
 * codes. Only the multipart sizes can be changed (see {@link R2LimitsOptions}), the way
 * Miniflare's test endpoints lower the minimum part size.
 */
export const R2_LIMITS = Object.freeze({
  /** Longest key, in UTF-8 bytes. */
  maxKeySize: 1024,
  /** Largest single upload, a `put` or one part: 5 GiB − 5 MiB. */
  maxUploadSize: 5 * GiB - 5 * MiB,
  /** Largest object a multipart upload may complete to: 5 TiB − 5 GiB (4.995 TiB). */
  maxObjectSize: 5 * TiB - 5 * GiB,
  /** Smallest part except the last: 5 MiB. */
  minPartSize: 5 * MiB,
  /** Part numbers run from 1 to this. */
  maxPartNumber: 10_000,
  /** Largest custom metadata, by R2's weighted count (`customMetadataSize`). */
  maxCustomMetadataSize: 2048,
  /** Most keys one `delete` takes. */
  maxDeleteKeys: 1000,
  /** Most entries one `list` page holds; also the default. */
  maxListLimit: 1000,
  /** Most entries one `list` page holds when `include` asks for metadata. */
  maxListLimitWithInclude: 100,
  /** Age at which an unfinished multipart upload is aborted: 7 days. */
  uploadExpiryMs: 7 * 24 * 60 * 60 * 1000,
});

/** Limits a bucket may enforce instead of production's (for tests); everything else is fixed. */
export interface R2LimitsOptions {
  /** Smallest part except the last. Default 5 MiB. */
  readonly minPartSize?: number;
  /** Largest object a multipart upload may complete to. Default 5 TiB − 5 GiB. */
  readonly maxObjectSize?: number;
}

/** The limits one bucket enforces. */
export type R2ResolvedLimits = { -readonly [K in keyof typeof R2_LIMITS]: number };

/**
 * Production limits with the caller's overrides applied.
 *
 * @throws {TypeError} when an override is not a positive safe integer.
 */
export function resolveR2Limits(overrides: R2LimitsOptions = {}): R2ResolvedLimits {
  const limits: R2ResolvedLimits = { ...R2_LIMITS };
  for (const name of ["minPartSize", "maxObjectSize"] as const) {
    const value = overrides[name];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new TypeError(`limits.${name} must be a positive integer, got ${String(value)}`);
    }
    limits[name] = value;
  }
  return limits;
}
