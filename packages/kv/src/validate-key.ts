import { utf8Length } from "./binding-values.js";
import { kvServiceError, type KVOperation } from "./kv-errors.js";

/**
 * The binding's own key checks (`get`, `put`, `delete`): thrown as `TypeError` before any
 * request is made.
 */
export function validateKeyName(key: string): void {
  if (key === "") throw new TypeError("Key name cannot be empty.");
  if (key === "." || key === "..") throw new TypeError(`"${key}" is not allowed as a key name.`);
}

/**
 * The service's key length check, counted in UTF-8 bytes. Also applies to a list `prefix`,
 * which reports `GET`.
 */
export function validateKeyLength(operation: KVOperation, key: string, maxKeySize: number): void {
  const length = utf8Length(key);
  if (length > maxKeySize) {
    throw kvServiceError(operation, 414, `UTF-8 encoded length of ${length} exceeds key length limit of ${maxKeySize}.`);
  }
}

/**
 * A bulk read's key checks. The binding does not check bulk keys itself, so the service's
 * wording applies: `400 Key names must not be empty`, rather than the single-key `TypeError`.
 */
export function validateBulkKey(key: string, maxKeySize: number): void {
  if (key === "") throw kvServiceError("GET_BULK", 400, "Key names must not be empty");
  if (key === "." || key === "..") {
    throw kvServiceError("GET_BULK", 400, `Illegal key name "${key}". Please use a different name.`);
  }
  validateKeyLength("GET_BULK", key, maxKeySize);
}
