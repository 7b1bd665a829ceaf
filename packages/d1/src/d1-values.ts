import type { SqlValue } from "@cellar/metadata-store";
import { D1QueryFailure } from "./d1-errors.js";

/**
 * A bound value as D1's binding sends it to the database: a number, a string, `null`, or a
 * BLOB as an array of bytes.
 */
export type D1BoundValue = number | string | null | readonly number[];

/** A value in a D1 result: BLOBs come back as arrays of bytes. */
export type D1ResultValue = number | string | null | number[];

/** D1's limit on a string or BLOB, in bytes (Q6: the documented 2,000,000). */
export const MAX_VALUE_BYTES = 2_000_000;

/**
 * `stmt.bind(...)`'s conversion of one value, exactly as the Workers binding does it: numbers and
 * strings as they are, booleans as 1/0, `null`, and BLOBs from an `ArrayBuffer`, a view
 * (`Array.from(view)`, so a `Uint16Array` contributes its elements, not its bytes) or an array of
 * numbers 0–255. Anything else throws `D1_TYPE_ERROR: Type '<typeof>' not supported for value '<v>'`.
 */
export function toBoundValue(value: unknown): D1BoundValue {
  const type = typeof value;
  if (type === "number" || type === "string") return value as number | string;
  if (type === "boolean") return value ? 1 : 0;
  if (type === "object") {
    if (value == null) return null;
    if (Array.isArray(value) && value.every((byte: unknown) => typeof byte === "number" && byte >= 0 && byte < 256)) {
      return value as number[];
    }
    if (value instanceof ArrayBuffer) return Array.from(new Uint8Array(value));
    if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>);
  }
  // The template literal is the binding's: a symbol makes it throw a TypeError, as there.
  const text = `Type '${type}' not supported for value '${value as string}'`;
  throw new Error(`D1_TYPE_ERROR: ${text}`, { cause: new Error(text) });
}

/**
 * A bound value as the database binds it. The binding's JSON transport turns `NaN` and
 * `±Infinity` into `null` (and `-0` into `0`); a byte array becomes a BLOB, each element taken
 * modulo 256 as `Uint8Array` does.
 */
export function toSqlValue(value: D1BoundValue): SqlValue {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return null;
    return value === 0 ? 0 : value;
  }
  if (value === null || typeof value === "string") return value;
  return Uint8Array.from(value, (byte) => (Number.isFinite(byte) ? byte : 0));
}

/** The `string or blob too big` failure for a value over {@link MAX_VALUE_BYTES}. */
export function tooBig(): D1QueryFailure {
  return new D1QueryFailure("string or blob too big: SQLITE_TOOBIG");
}

/** Throw if a string or BLOB is larger than D1 allows. Strings are measured in UTF-8 bytes. */
export function checkValueSize(value: SqlValue): void {
  if (typeof value === "string") {
    // A UTF-16 code unit is at most 3 UTF-8 bytes, so short strings need no measuring.
    if (value.length * 3 > MAX_VALUE_BYTES && Buffer.byteLength(value, "utf8") > MAX_VALUE_BYTES) throw tooBig();
  } else if (value instanceof Uint8Array && value.byteLength > MAX_VALUE_BYTES) {
    throw tooBig();
  }
}

/**
 * Row values as D1 returns them, in place: BLOBs become arrays of bytes. Values over the size
 * limit fail the query, as SQLite's `SQLITE_LIMIT_LENGTH` check when reading a column does.
 */
export function toResultRow(row: unknown[]): D1ResultValue[] {
  for (let i = 0; i < row.length; i++) {
    const value = row[i];
    if (typeof value === "string") {
      if (value.length * 3 > MAX_VALUE_BYTES) checkValueSize(value);
    } else if (value instanceof Uint8Array) {
      checkValueSize(value);
      row[i] = Array.from(value);
    } else if (typeof value === "bigint") {
      row[i] = Number(value);
    }
  }
  return row as D1ResultValue[];
}
