import { MESSAGES, keyTooLarge, tooManyKeys, valueTooLarge } from "./messages.js";
import { MAX_VALUE_BYTES } from "./sql-values.js";

/** Which backend's limits apply: SQLite-backed classes, or KV-backed (ActorCache) ones. */
export type StorageMode = "sqlite" | "kv";

/** KV mode: key size in bytes. */
export const KV_MAX_KEY_BYTES = 2048;
/** KV mode: value size; the serializer's overhead (34 bytes) is allowed on top, as ActorCache does. */
export const KV_MAX_VALUE_BYTES = 131_072;
const KV_VALUE_OVERHEAD = 34;
/** KV mode: keys per get, put or delete call. */
export const KV_MAX_KEYS = 128;

/** Checks one entry before anything is written, so a rejected call leaves storage unchanged. */
export function checkEntry(mode: StorageMode, key: string, value: Uint8Array | undefined): void {
  const keyBytes = utf8Length(key);
  if (mode === "kv") {
    if (keyBytes > KV_MAX_KEY_BYTES) throw keyTooLarge(KV_MAX_KEY_BYTES, keyBytes);
    if (value !== undefined && value.byteLength > KV_MAX_VALUE_BYTES + KV_VALUE_OVERHEAD) throw valueTooLarge(KV_MAX_VALUE_BYTES, value.byteLength);
  } else if (value !== undefined && keyBytes + value.byteLength > MAX_VALUE_BYTES) {
    throw new Error(MESSAGES.tooBig);
  }
}

/** KV mode caps keys per call (spec O2: on get, put and delete alike); SQLite mode has no cap. */
export function checkKeyCount(mode: StorageMode, count: number): void {
  if (mode === "kv" && count > KV_MAX_KEYS) throw tooManyKeys(KV_MAX_KEYS, count);
}

/** The UTF-8 size of `text` in bytes: the unit every storage limit counts in. */
function utf8Length(text: string): number {
  return Buffer.byteLength(text, "utf8");
}
