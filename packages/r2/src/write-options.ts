import { toBindingString } from "./binding-values.js";

/**
 * The storage class to record (spec R4): `"InfrequentAccess"` when asked for, `"Standard"`
 * otherwise. Miniflare ignores the option and reports `""`.
 */
export function storageClassOf(value: unknown): string {
  return value !== undefined && toBindingString(value) === "InfrequentAccess" ? "InfrequentAccess" : "Standard";
}

/**
 * Validates an SSE-C key as the binding does (64 lowercase hex characters, or 32 bytes). Like
 * Miniflare, cellar then ignores it: objects are not encrypted locally and `ssecKeyMd5` stays
 * undefined.
 *
 * @throws {Error} `SSE-C Key has invalid format` / `SSE-C Key must be 32 bytes in length`
 */
export function checkSsecKey(value: unknown): void {
  if (value === undefined) return;
  if (typeof value === "string") {
    if (!/^[0-9a-f]+$/.test(value)) throw new Error("SSE-C Key has invalid format");
    if (value.length !== 64) throw new Error("SSE-C Key must be 32 bytes in length");
    return;
  }
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
    if (value.byteLength !== 32) throw new Error("SSE-C Key must be 32 bytes in length");
    return;
  }
  throw new TypeError("ssecKey must be an ArrayBuffer or a hex string");
}

/** An options argument: `undefined` and `null` mean none. */
export function optionsObject(value: unknown, method: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object") throw new TypeError(`The options of ${method}() must be an object`);
  return value as Record<string, unknown>;
}
