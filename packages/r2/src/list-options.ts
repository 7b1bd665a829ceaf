import { optionalString, toBindingInt } from "./binding-values.js";
import { r2Error } from "./r2-errors.js";
import type { R2ResolvedLimits } from "./r2-limits.js";

/** `list` options as the binding sends them. */
export interface ListRequest {
  /** The page size asked for, as the binding's `int`; `undefined` when not given (or -1). */
  readonly limit: number | undefined;
  readonly prefix: string;
  readonly cursor: string | undefined;
  /** `undefined` for none (`""` means none too). */
  readonly delimiter: string | undefined;
  readonly startAfter: string | undefined;
  readonly includeHttpMetadata: boolean;
  readonly includeCustomMetadata: boolean;
}

/**
 * Reads `list` options as the binding does: `limit` becomes an `int` (1.5 → 1; -1 wraps to the
 * unsigned default and so means "not given"), the strings must be strings, and `include` may
 * name only `httpMetadata` and `customMetadata`.
 *
 * @throws {RangeError} `Unsupported include value <v>`, and {TypeError} for options of the wrong type.
 */
export function parseListOptions(value: unknown): ListRequest {
  if (value !== undefined && value !== null && typeof value !== "object") throw new TypeError("list options must be an object");
  const options = (value ?? {}) as Record<string, unknown>;
  const limit = options.limit === undefined ? undefined : toBindingInt(options.limit);
  let includeHttpMetadata = false;
  let includeCustomMetadata = false;
  if (options.include !== undefined) {
    if (typeof (options.include as Iterable<unknown>)?.[Symbol.iterator] !== "function" || typeof options.include === "string") {
      throw new TypeError("list include must be an array");
    }
    for (const field of options.include as Iterable<unknown>) {
      if (field === "httpMetadata") includeHttpMetadata = true;
      else if (field === "customMetadata") includeCustomMetadata = true;
      else throw new RangeError(`Unsupported include value ${String(field)}`);
    }
  }
  const delimiter = optionalString(options.delimiter, "delimiter");
  return {
    limit: limit === -1 ? undefined : limit,
    prefix: optionalString(options.prefix, "prefix") ?? "",
    cursor: optionalString(options.cursor, "cursor"),
    delimiter: delimiter === "" ? undefined : delimiter,
    startAfter: optionalString(options.startAfter, "startAfter"),
    includeHttpMetadata,
    includeCustomMetadata,
  };
}

/**
 * The page size the service serves: the limit asked for (default 1000), capped at 100 when
 * metadata is included (R2 may return fewer with `include`; Miniflare always caps at 100).
 *
 * @throws {Error} `list: MaxKeys params must be positive integer <= 1000. (10022)`
 */
export function resolveListLimit(request: ListRequest, limits: R2ResolvedLimits): number {
  const limit = request.limit ?? limits.maxListLimit;
  if (limit < 1 || limit > limits.maxListLimit) throw r2Error("list", "invalidMaxKeys");
  const include = request.includeHttpMetadata || request.includeCustomMetadata;
  return include ? Math.min(limit, limits.maxListLimitWithInclude) : limit;
}
