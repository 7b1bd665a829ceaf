const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/**
 * A list cursor: the base64 of the UTF-8 bytes of the last key returned, meaning "start after
 * this key". Keys inserted between pages therefore still appear, and a cursor keeps working
 * after its key is deleted.
 */
export function encodeCursor(lastKey: string): string {
  return Buffer.from(lastKey, "utf8").toString("base64");
}

/**
 * The key a cursor starts after. A cursor that is not base64 of UTF-8 text decodes to `""`,
 * which restarts the listing (production cursors are opaque; this is Miniflare's behaviour).
 */
export function decodeCursor(cursor: string): string {
  if (!BASE64.test(cursor) || cursor.replace(/=+$/, "").length % 4 === 1) return "";
  try {
    return strictUtf8.decode(Buffer.from(cursor, "base64"));
  } catch {
    return "";
  }
}
