import { createHash } from "node:crypto";
import { InvalidUserIdError } from "./errors.js";

/*
 * File-name-safe, one-to-one encoding of user ids (KV keys, R2 keys, cache URLs), so that a
 * person browsing a blob directory can tell which value a file holds.
 *
 * The output alphabet is only `[a-z0-9._-]`: safe on Linux, macOS and Windows, needs no quoting
 * in a shell or a URL, and - being lowercase only - two different user ids can never collide on
 * a case-insensitive file system.
 *
 * - `a-z`, `0-9` and `-` stand for themselves.
 * - `.` stands for itself, except as the first character (a leading dot hides the file) or the
 *   last (Windows strips trailing dots); there it is escaped as a byte.
 * - `_` is the escape character:
 *   - `__` is a literal `_`;
 *   - `_` followed by a lowercase letter is that letter in uppercase (`A` → `_a`);
 *   - `_` followed by exactly three decimal digits is one UTF-8 byte (space → `_032`,
 *     `/` → `_047`, `é` → `_195_169`, a leading `.` → `_046`).
 * - A result that Windows would open as a device (`con`, `nul.txt`, `com1`, ...) gets its first
 *   character escaped as a byte (`con` → `_099on`).
 * - The extension stays readable: `photo.JPG` → `photo._j_p_g`.
 * - The result is at most `MAX_ENCODED_USER_ID_LENGTH` (160) characters. A longer encoding is
 *   shortened to `<head>_-<32 hex of sha256(userId)><extension>`: the head is cut between two
 *   escapes (never inside one), the extension (the last `.xxx`, up to 24 encoded characters)
 *   is kept. `_-` never occurs in a full encoding, so it marks a shortened name, which
 *   `decodeUserId` cannot reverse. The hash keeps shortened names distinct, and blob ids
 *   carry their own randomness anyway, so uniqueness never rests on the encoding.
 */

/** Longest string `encodeUserId` returns. Keeps blob ids (80 + 1 + 160 characters) below 255 bytes. */
export const MAX_ENCODED_USER_ID_LENGTH = 160;

/** Encoded extensions longer than this are not kept when a name is shortened. */
const MAX_KEPT_EXTENSION_LENGTH = 24;
/** Marks a shortened encoding; `_` followed by `-` is never a valid escape. */
const SHORTENED_MARKER = "_-";
const SHORTENED_HASH_HEX_LENGTH = 32;
const WINDOWS_DEVICE_NAME = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

// The decoder must be strict: invalid UTF-8 is not a valid encoding, and a leading U+FEFF is
// part of the user id, not a byte-order mark to drop.
const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Encodes a user id into a file-name-safe string, one-to-one, keeping its extension readable
 * (scheme above). The empty string encodes to the empty string.
 *
 * @throws {InvalidUserIdError} when `userId` is not a string or holds a lone surrogate, which
 * has no UTF-8 form and so could not be told apart from U+FFFD after a round trip.
 */
export function encodeUserId(userId: string): string {
  if (typeof userId !== "string") {
    throw new InvalidUserIdError(`expected a string, got ${typeof userId}`);
  }
  const tokens = encodeTokens(userId);
  let encoded = tokens.join("");
  if (WINDOWS_DEVICE_NAME.test(encoded)) {
    // The first character of a device name is always a literal lowercase letter.
    tokens[0] = escapeByte(encoded.charCodeAt(0));
    encoded = tokens.join("");
  }
  if (encoded.length <= MAX_ENCODED_USER_ID_LENGTH) return encoded;
  return shorten(userId, tokens, encoded);
}

/**
 * Reverses `encodeUserId`. Returns `undefined` for a shortened encoding (which has lost
 * information) and for any string `encodeUserId` could not have produced, so that each user id
 * has exactly one encoding.
 */
export function decodeUserId(encoded: string): string | undefined {
  if (typeof encoded !== "string") return undefined;
  const bytes: number[] = [];
  let index = 0;
  while (index < encoded.length) {
    const char = encoded.charAt(index);
    if (char !== "_") {
      if (!isLiteral(char) && char !== ".") return undefined;
      bytes.push(char.charCodeAt(0));
      index += 1;
      continue;
    }
    const next = encoded.charAt(index + 1);
    if (next === "_") {
      bytes.push(0x5f);
      index += 2;
    } else if (next >= "a" && next <= "z") {
      bytes.push(next.charCodeAt(0) - 0x20);
      index += 2;
    } else if (/^[0-9]{3}$/.test(encoded.slice(index + 1, index + 4))) {
      const byte = Number(encoded.slice(index + 1, index + 4));
      if (byte > 0xff) return undefined;
      bytes.push(byte);
      index += 4;
    } else {
      // Includes the shortened-name marker `_-`.
      return undefined;
    }
  }
  let decoded: string;
  try {
    decoded = strictUtf8.decode(Uint8Array.from(bytes));
  } catch {
    return undefined;
  }
  // Only the canonical encoding decodes: `_097` for "a", or a dot left unescaped at the end,
  // would otherwise give a second name for the same user id.
  return encodeUserId(decoded) === encoded ? decoded : undefined;
}

/** One token per code point, so the shortening can cut between escapes. */
function encodeTokens(userId: string): string[] {
  const tokens: string[] = [];
  let index = 0;
  while (index < userId.length) {
    const codePoint = userId.codePointAt(index)!;
    const width = codePoint > 0xffff ? 2 : 1;
    if (codePoint >= 0xd800 && codePoint <= 0xdfff) {
      throw new InvalidUserIdError(`lone surrogate U+${codePoint.toString(16).toUpperCase()} at index ${index}`);
    }
    const char = String.fromCodePoint(codePoint);
    if (isLiteral(char)) {
      tokens.push(char);
    } else if (char >= "A" && char <= "Z") {
      tokens.push(`_${char.toLowerCase()}`);
    } else if (char === "_") {
      tokens.push("__");
    } else if (char === "." && index > 0 && index + width < userId.length) {
      tokens.push(".");
    } else {
      tokens.push(utf8Bytes(codePoint).map(escapeByte).join(""));
    }
    index += width;
  }
  return tokens;
}

function shorten(userId: string, tokens: readonly string[], encoded: string): string {
  const lastDot = encoded.lastIndexOf(".");
  const extension = lastDot > 0 && encoded.length - lastDot <= MAX_KEPT_EXTENSION_LENGTH ? encoded.slice(lastDot) : "";
  const hash = createHash("sha256").update(userId, "utf8").digest("hex").slice(0, SHORTENED_HASH_HEX_LENGTH);
  const headBudget = MAX_ENCODED_USER_ID_LENGTH - SHORTENED_MARKER.length - hash.length - extension.length;
  let head = "";
  for (const token of tokens) {
    if (head.length + token.length > headBudget) break;
    head += token;
  }
  return `${head}${SHORTENED_MARKER}${hash}${extension}`;
}

function isLiteral(char: string): boolean {
  return (char >= "a" && char <= "z") || (char >= "0" && char <= "9") || char === "-";
}

function escapeByte(byte: number): string {
  return `_${byte.toString(10).padStart(3, "0")}`;
}

function utf8Bytes(codePoint: number): number[] {
  if (codePoint < 0x80) return [codePoint];
  if (codePoint < 0x800) return [0xc0 | (codePoint >> 6), 0x80 | (codePoint & 0x3f)];
  if (codePoint < 0x10000) {
    return [0xe0 | (codePoint >> 12), 0x80 | ((codePoint >> 6) & 0x3f), 0x80 | (codePoint & 0x3f)];
  }
  return [
    0xf0 | (codePoint >> 18),
    0x80 | ((codePoint >> 12) & 0x3f),
    0x80 | ((codePoint >> 6) & 0x3f),
    0x80 | (codePoint & 0x3f),
  ];
}
