const encoder = new TextEncoder();

/**
 * Compares two keys by their UTF-8 bytes (memcmp), the order workerd lists in. JavaScript's `<`
 * compares UTF-16 code units, which puts U+FFFF after U+1F600; UTF-8 order does not.
 */
export function compareUtf8(a: string, b: string): number {
  return Buffer.compare(encoder.encode(a), encoder.encode(b));
}

/** The UTF-8 size of `text` in bytes. */
export function utf8Length(text: string): number {
  return Buffer.byteLength(text, "utf8");
}
