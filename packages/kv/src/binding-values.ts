/*
 * How the Workers binding converts JavaScript arguments before it talks to the KV service. The
 * binding is C++ (workerd's JSG layer), so these rules are what make `expirationTtl: 60.7` mean
 * 60 and `cacheTtl: NaN` mean 0; reproducing them keeps error messages identical.
 */

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/**
 * Converts an option to the C++ `int` the binding sends: `ToNumber`, then non-finite values
 * (NaN, ±Infinity, and anything that does not convert, such as `"abc"` or `{}`) become 0, and
 * the rest are truncated towards zero.
 *
 * @throws {TypeError} for values outside the 32-bit signed range, with the runtime's message,
 * and for values `ToNumber` rejects (a symbol, a bigint).
 */
export function toBindingInteger(value: unknown): number {
  const number = +(value as number);
  if (!Number.isFinite(number)) return 0;
  if (number > INT32_MAX || number < INT32_MIN) {
    throw new TypeError(`Value out of range. Must be between ${INT32_MIN} and ${INT32_MAX} (inclusive).`);
  }
  // `| 0` would also turn -0 into 0, which prints as "0" like the runtime's integer.
  return Math.trunc(number) | 0;
}

/**
 * Converts a key (or prefix, cursor) to the string the binding sends: JavaScript `ToString`,
 * then lone surrogates, which have no UTF-8 form, become U+FFFD as the runtime's UTF-8
 * conversion does.
 *
 * @throws {TypeError} for a symbol, which has no string conversion.
 */
export function toBindingString(value: unknown): string {
  const text = typeof value === "string" ? value : `${value as string}`;
  const methods = text as unknown as WellFormedString;
  return methods.isWellFormed() ? text : methods.toWellFormed();
}

/** ES2024 string methods (Node >= 20 has them; the project's `lib` is ES2023). */
interface WellFormedString extends String {
  isWellFormed(): boolean;
  toWellFormed(): string;
}

/** Length of `text` in UTF-8 bytes, without encoding it. `text` must be well-formed. */
export function utf8Length(text: string): number {
  let length = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) continue;
    if (unit < 0x800) length += 1;
    else if (unit >= 0xd800 && unit <= 0xdbff) {
      // A surrogate pair: 2 units, 4 bytes.
      length += 2;
      i++;
    }
    else length += 2;
  }
  return length;
}
