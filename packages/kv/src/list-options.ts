import { toBindingInteger, toBindingString } from "./binding-values.js";
import { kvServiceError } from "./kv-errors.js";
import type { KVResolvedLimits } from "./kv-limits.js";
import { decodeCursor } from "./list-cursor.js";
import { validateKeyLength } from "./validate-key.js";

/** A validated `list` request. */
export interface ListQuery {
  /** Keys to return at most. */
  readonly limit: number;
  /** Literal prefix; `""` for all keys. */
  readonly prefix: string;
  /** Return only keys after this one (decoded from the cursor); `""` for the start. */
  readonly startAfter: string;
}

/**
 * Reads `list({ prefix, limit, cursor })` as binding and service together.
 *
 * - `limit` is converted to an integer (`2.5` is 2, `NaN` is 0). The binding sends it only when
 *   it is positive, so 0 and negative limits give the default page of 1000 (spec K4). Above 1000
 *   the service rejects it, with its message saying "less than" although 1000 is accepted.
 * - `prefix` and `cursor` of `null` or `undefined` are absent; other values become strings.
 * - The prefix's length is checked like a key's (`KV GET failed: 414 ...`).
 */
export function parseListOptions(options: unknown, limits: KVResolvedLimits): ListQuery {
  const { limit, prefix, cursor } = (options ?? {}) as Record<string, unknown>;
  const sentLimit = limit === undefined ? 0 : toBindingInteger(limit);
  const query: ListQuery = {
    limit: validateListLimit(sentLimit > 0 ? sentLimit : undefined, limits.maxListKeys),
    prefix: prefix === undefined || prefix === null ? "" : toBindingString(prefix),
    startAfter: cursor === undefined || cursor === null ? "" : decodeCursor(toBindingString(cursor)),
  };
  validateKeyLength("GET", query.prefix, limits.maxKeySize);
  return query;
}

/**
 * The service's check of `key_count_limit`, when sent. `NaN` and values below 1 can only arrive
 * through a hand-made request: the binding never sends them.
 */
export function validateListLimit(limit: number | undefined, maxListKeys: number): number {
  if (limit === undefined) return maxListKeys;
  if (Number.isNaN(limit) || limit < 1) {
    throw kvServiceError("GET", 400, `Invalid key_count_limit of ${limit}. Please specify an integer greater than 0.`);
  }
  if (limit > maxListKeys) {
    throw kvServiceError("GET", 400, `Invalid key_count_limit of ${limit}. Please specify an integer less than ${maxListKeys}.`);
  }
  return limit;
}
