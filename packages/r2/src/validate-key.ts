import { utf8Length } from "./binding-values.js";
import { r2Error, type R2Operation } from "./r2-errors.js";
import type { R2ResolvedLimits } from "./r2-limits.js";

/**
 * The service's key check, made on every operation that takes a key (spec r2.md §2): at most
 * 1,024 UTF-8 bytes. Any string within that is a valid key, the empty string included.
 *
 * @throws {Error} `<op>: The specified object name is not valid. (10020)`
 */
export function validateKey(operation: R2Operation, key: string, limits: R2ResolvedLimits): void {
  if (utf8Length(key) > limits.maxKeySize) throw r2Error(operation, "invalidObjectName");
}
