import { toBindingInteger } from "./binding-values.js";
import { kvServiceError, type KVOperation } from "./kv-errors.js";

/** How a `get` decodes a value. */
export type KVValueType = "text" | "json" | "arrayBuffer" | "stream";

/** What a `get`'s second argument says, once converted as the binding converts it. */
export interface ParsedGetOptions {
  /** The requested type as given (validated separately, since bulk reads word it differently). */
  readonly type: string;
  /** `cacheTtl` as the integer the binding sends, or `undefined` when absent. */
  readonly cacheTtl: number | undefined;
}

const VALUE_TYPES: ReadonlySet<string> = new Set(["text", "json", "arrayBuffer", "stream"]);

/**
 * Reads `get(key, type)` or `get(key, { type, cacheTtl })`. A missing or `null` argument, and a
 * missing `type`, mean `"text"`.
 */
export function parseGetOptions(options: unknown): ParsedGetOptions {
  if (options === undefined || options === null) return { type: "text", cacheTtl: undefined };
  if (typeof options !== "object") return { type: String(options), cacheTtl: undefined };
  const { type, cacheTtl } = options as { type?: unknown; cacheTtl?: unknown };
  return {
    type: type === undefined ? "text" : String(type),
    cacheTtl: cacheTtl === undefined ? undefined : toBindingInteger(cacheTtl),
  };
}

/** The binding's check of a single `get`'s type. */
export function assertValueType(type: string): asserts type is KVValueType {
  if (!VALUE_TYPES.has(type)) {
    throw new TypeError('Unknown response type. Possible types are "text", "arrayBuffer", "json", and "stream".');
  }
}

/**
 * The service's `cacheTtl` check. The value is only validated: there is one "edge location",
 * this process, and every read sees the latest write.
 */
export function validateCacheTtl(operation: KVOperation, cacheTtl: number | undefined, minCacheTtl: number): void {
  if (cacheTtl !== undefined && cacheTtl < minCacheTtl) {
    throw kvServiceError(operation, 400, `Invalid cache_ttl of ${cacheTtl}. Cache TTL must be at least ${minCacheTtl}.`);
  }
}
