/*
 * How the Workers binding converts JavaScript arguments before it talks to the R2 service. The
 * binding is C++ (workerd's JSG layer): strings become UTF-8 (`kj::String`), numbers become C++
 * integers. Reproducing the conversions keeps keys and messages identical.
 */

/** ES2024 string methods (Node >= 20 has them; the project's `lib` is ES2023). */
interface WellFormedString extends String {
  isWellFormed(): boolean;
  toWellFormed(): string;
}

/**
 * Converts a key (or prefix, cursor, metadata value) to the string the binding sends:
 * JavaScript `ToString`, then lone surrogates, which have no UTF-8 form, become U+FFFD.
 *
 * @throws {TypeError} for a symbol, which has no string conversion.
 */
export function toBindingString(value: unknown): string {
  const text = typeof value === "string" ? value : `${value as string}`;
  return wellFormed(text);
}

/** `text` with lone surrogates replaced by U+FFFD, as UTF-8 conversion does. */
export function wellFormed(text: string): string {
  const methods = text as unknown as WellFormedString;
  return methods.isWellFormed() ? text : methods.toWellFormed();
}

/**
 * An optional string option that the binding does not coerce (`jsg::NonCoercible`): absent when
 * `undefined`, else it must be a string.
 *
 * @throws {TypeError} for any other type.
 */
export function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new TypeError(`${name} must be a string, got ${describe(value)}`);
  return wellFormed(value);
}

/**
 * Converts a number option to the C++ `int` the binding sends (WebIDL `long`): `ToNumber`,
 * non-finite values become 0, the rest are truncated and wrapped to 32 bits.
 */
export function toBindingInt(value: unknown): number {
  const number = Number(value);
  if (!Number.isFinite(number)) return 0;
  return Math.trunc(number) | 0;
}

/** Length of `text` in UTF-8 bytes. */
export function utf8Length(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/** A short description of a value's type for messages. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value;
}
