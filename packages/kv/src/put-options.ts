import { toBindingInteger, utf8Length } from "./binding-values.js";
import { kvServiceError } from "./kv-errors.js";
import type { KVResolvedLimits } from "./kv-limits.js";

/** A `put`'s options as the binding sends them: integers, and metadata as JSON text. */
export interface SentPutOptions {
  readonly expiration: number | undefined;
  readonly expirationTtl: number | undefined;
  readonly metadataJson: string | undefined;
}

/** What a valid `put` stores besides its value. */
export interface ValidPutOptions {
  /** Epoch milliseconds, or `null` for no expiry. */
  readonly expiration: number | null;
  /** JSON text, or `null` for no metadata. */
  readonly metadata: string | null;
}

/**
 * The binding's conversion of `{ expiration, expirationTtl, metadata }`: the numbers become
 * 32-bit integers (so `60.7` is 60 and `NaN` is 0), metadata becomes JSON. `undefined` means
 * absent; `null` metadata means none.
 *
 * @throws {TypeError} for a number out of the 32-bit range, or metadata `JSON.stringify` rejects.
 */
export function sendPutOptions(options: unknown): SentPutOptions {
  if (options === undefined || options === null) {
    return { expiration: undefined, expirationTtl: undefined, metadataJson: undefined };
  }
  const { expiration, expirationTtl, metadata } = options as Record<string, unknown>;
  return {
    expiration: expiration === undefined ? undefined : toBindingInteger(expiration),
    expirationTtl: expirationTtl === undefined ? undefined : toBindingInteger(expirationTtl),
    // JSON.stringify gives `undefined` for a function or symbol: nothing to send.
    metadataJson: metadata === undefined || metadata === null ? undefined : (JSON.stringify(metadata) as string | undefined),
  };
}

/**
 * The service's checks, in its order: expiration (a TTL wins over an absolute time, which is then
 * not validated), then metadata size. Times are in whole seconds; the result is milliseconds, as
 * Miniflare stores it.
 */
export function validatePutOptions(sent: SentPutOptions, nowMs: number, limits: KVResolvedLimits): ValidPutOptions {
  const now = Math.floor(nowMs / 1000);
  const minTtl = limits.minExpirationTtl;
  let expiration: number | null = null;
  if (sent.expirationTtl !== undefined) {
    const ttl = sent.expirationTtl;
    if (ttl <= 0) {
      throw kvServiceError("PUT", 400, `Invalid expiration_ttl of ${ttl}. Please specify integer greater than 0.`);
    }
    if (ttl < minTtl) {
      throw kvServiceError("PUT", 400, `Invalid expiration_ttl of ${ttl}. Expiration TTL must be at least ${minTtl}.`);
    }
    expiration = (now + ttl) * 1000;
  } else if (sent.expiration !== undefined) {
    const at = sent.expiration;
    if (at <= now) {
      throw kvServiceError(
        "PUT",
        400,
        `Invalid expiration of ${at}. Please specify integer greater than the current number of seconds since the UNIX epoch.`,
      );
    }
    if (at < now + minTtl) {
      throw kvServiceError(
        "PUT",
        400,
        `Invalid expiration of ${at}. Expiration times must be at least ${minTtl} seconds in the future.`,
      );
    }
    expiration = at * 1000;
  }
  const json = sent.metadataJson;
  if (json !== undefined) {
    // JSON.stringify escapes lone surrogates, so the text is well-formed UTF-16.
    const length = utf8Length(json);
    if (length > limits.maxMetadataSize) {
      throw kvServiceError("PUT", 413, `Metadata length of ${length} exceeds limit of ${limits.maxMetadataSize}.`);
    }
  }
  return { expiration, metadata: json ?? null };
}
