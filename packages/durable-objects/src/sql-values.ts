import { SqlError, type SqlBindValue, type SqlValue } from "@cellar/metadata-store";
import { MESSAGES } from "./messages.js";

/** A value `sql.exec` returns: INTEGER and REAL as numbers, BLOBs as ArrayBuffers. */
export type SqlStorageValue = ArrayBuffer | string | number | null;

/** The largest string or BLOB a row may hold (spec O1: the documented 2 MB, not Miniflare's 2,200,000 B). */
export const MAX_VALUE_BYTES = 2_000_000;

/**
 * Converts an `exec` binding as workerd does: booleans bind as the TEXT `"true"`/`"false"`,
 * `undefined` as NULL, buffers and views as BLOBs; a BigInt is a TypeError.
 */
export function toBinding(value: unknown): SqlBindValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "number" || typeof value === "string") {
    if (typeof value === "string" && Buffer.byteLength(value) > MAX_VALUE_BYTES) throw new Error(MESSAGES.tooBig);
    return value;
  }
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "bigint") throw new TypeError(MESSAGES.bigintBinding);
  if (value instanceof ArrayBuffer) return checkedBlob(new Uint8Array(value));
  if (ArrayBuffer.isView(value)) return checkedBlob(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
  // Anything else is bound by its string form, as a JavaScript engine would coerce it.
  return String(value);
}

function checkedBlob(bytes: Uint8Array): Uint8Array {
  if (bytes.byteLength > MAX_VALUE_BYTES) throw new Error(MESSAGES.tooBig);
  return bytes;
}

/** Converts a result value: BLOBs become fresh ArrayBuffers; a bigint (never requested) becomes a number. */
export function fromResult(value: SqlValue): SqlStorageValue {
  if (value instanceof Uint8Array) return value.slice().buffer as ArrayBuffer;
  if (typeof value === "bigint") return Number(value);
  return value;
}

/**
 * Formats an engine error as workerd does: `<errmsg>[ at offset N]: SQLITE_<CODE>[ (extended:
 * SQLITE_<EXT>)]`. SQLite's error offset is not exposed by the engines, so it is recovered for the
 * two errors that carry one and name a token (`near "X": syntax error`, `no such column: X`).
 */
export function runtimeSqlError(error: unknown, statementText: string): unknown {
  if (!(error instanceof SqlError) || error.sqliteCode === undefined) return error;
  const extended = error.sqliteCode;
  const primary = extended.split("_").slice(0, 2).join("_");
  let offset = "";
  const token = /^near "(.*)": syntax error$/s.exec(error.message)?.[1] ?? /^no such column: (.*)$/s.exec(error.message)?.[1];
  if (token !== undefined) {
    const at = statementText.indexOf(token);
    if (at >= 0) offset = ` at offset ${Buffer.byteLength(statementText.slice(0, at))}`;
  }
  return new Error(`${error.message}${offset}: ${primary}${extended !== primary ? ` (extended: ${extended})` : ""}`, { cause: error });
}
