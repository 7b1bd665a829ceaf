import { toBindingString, wellFormed } from "./binding-values.js";

/**
 * Reads `customMetadata` as the binding does (`jsg::Dict<kj::String>`): the object's own
 * enumerable string-keyed properties, each value converted to a string. Absent means `{}`.
 *
 * @throws {TypeError} for a value that is not an object.
 */
export function parseCustomMetadata(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) throw new TypeError("customMetadata must be an object of strings");
  // `fromEntries` defines properties, so a `__proto__` key stays an ordinary entry.
  return Object.fromEntries(Object.entries(value).map(([name, field]) => [wellFormed(name), toBindingString(field)]));
}

/**
 * R2's weighted size of custom metadata (spec r2.md §2, taken by Miniflare from the production
 * gateway): the sum over entries of `weight(name) + weight(value)`, where `weight(s)` is the
 * UTF-16 length of `s`, doubled if any code unit is 256 or more.
 */
export function customMetadataSize(metadata: Record<string, string>): number {
  let size = 0;
  for (const [name, value] of Object.entries(metadata)) size += weight(name) + weight(value);
  return size;
}

function weight(text: string): number {
  for (let index = 0; index < text.length; index++) {
    if (text.charCodeAt(index) >= 256) return text.length * 2;
  }
  return text.length;
}
