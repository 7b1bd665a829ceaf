import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { MAX_ENCODED_USER_ID_LENGTH, decodeUserId, encodeUserId } from "../src/index.ts";

/** mulberry32: a tiny seeded PRNG, so a failing case can be replayed. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/** Character pools that stress the encoding: its own escape character, dots, case, bytes. */
const POOLS: readonly (readonly string[])[] = [
  [..."abcxyz0189-"],
  [..."ABCXYZ"],
  ["_", "__", "_a", "_0", "_123", "_-"],
  [".", "..", "..."],
  ["/", "\\", ":", "*", "?", '"', "<", ">", "|", "%", "#", " ", "\t", "\n", "\u0000", "\u007f"],
  ["é", "ß", "Ω", "ж", "中", "文", "\u00a0", "\ufeff", "\uffff", "\u0301"],
  ["😀", "🎉", "\u{10ffff}", "\u{1f1fa}\u{1f1f8}", "𝔘"],
  ["con", "CON", "nul", "com1", "lpt9", "aux.", "prn.txt"],
];

function randomUserId(random: () => number): string {
  const length = random() < 0.1 ? 100 + Math.floor(random() * 300) : Math.floor(random() * 30);
  let userId = "";
  for (let index = 0; index < length; index++) {
    const pool = POOLS[Math.floor(random() * POOLS.length)]!;
    userId += pool[Math.floor(random() * pool.length)]!;
  }
  return userId;
}

function expectFileNameSafe(encoded: string, userId: string): void {
  const label = JSON.stringify(userId);
  expect(encoded, label).toMatch(/^[a-z0-9._-]*$/);
  expect(encoded.startsWith("."), label).toBe(false);
  expect(encoded.endsWith("."), label).toBe(false);
  expect(encoded.length, label).toBeLessThanOrEqual(MAX_ENCODED_USER_ID_LENGTH);
  expect(/^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i.test(encoded), label).toBe(false);
}

describe("encodeUserId", () => {
  it.each([
    ["", ""],
    ["abc-123", "abc-123"],
    ["photo.JPG", "photo._j_p_g"],
    ["A", "_a"],
    ["a_b", "a__b"],
    ["a b", "a_032b"],
    ["a/b", "a_047b"],
    ["é", "_195_169"],
    ["😀", "_240_159_152_128"],
    [".hidden", "_046hidden"],
    ["trailing.", "trailing_046"],
    [".", "_046"],
    ["..", "_046_046"],
    ["...", "_046._046"],
    ["a.b.c", "a.b.c"],
    ["con", "_099on"],
    ["nul.txt", "_110ul.txt"],
    ["com1.tar.gz", "_099om1.tar.gz"],
    ["CON", "_c_o_n"],
    ["console", "console"],
    ["../x", "_046._047x"],
    ["a\u0000b", "a_000b"],
  ])("encodes %j as %j", (userId, encoded) => {
    expect(encodeUserId(userId)).toBe(encoded);
    expect(decodeUserId(encoded)).toBe(userId);
  });

  it("keeps case apart without uppercase output", () => {
    expect(encodeUserId("Photo.JPG")).not.toBe(encodeUserId("photo.jpg"));
    expect(encodeUserId("Photo.JPG").toLowerCase()).toBe(encodeUserId("Photo.JPG"));
  });

  it("rejects lone surrogates with ERR_INVALID_USER_ID", () => {
    for (const userId of ["\ud800", "a\udc00", "\udfff\ud800", "😀\ud83d"]) {
      expect(() => encodeUserId(userId)).toThrow(expect.objectContaining({ code: "ERR_INVALID_USER_ID" }));
    }
  });

  it("rejects a non-string with ERR_INVALID_USER_ID", () => {
    expect(() => encodeUserId(42 as unknown as string)).toThrow(expect.objectContaining({ code: "ERR_INVALID_USER_ID" }));
  });

  it("shortens long encodings to 160 characters, keeping the head, a hash and the extension", () => {
    const userId = `${"Directory/".repeat(30)}report.PDF`;
    const encoded = encodeUserId(userId);
    expect(encoded).toHaveLength(MAX_ENCODED_USER_ID_LENGTH);
    const hash = createHash("sha256").update(userId).digest("hex").slice(0, 32);
    expect(encoded.endsWith(`_-${hash}.${"_p_d_f"}`)).toBe(true);
    expect(encoded.startsWith("_directory_047_directory")).toBe(true);
    expect(decodeUserId(encoded)).toBeUndefined();
  });

  it("never splits an escape when shortening", () => {
    for (const char of ["é", "😀", "A", "_", " "]) {
      const userId = char.repeat(200);
      const encoded = encodeUserId(userId);
      const head = encoded.slice(0, encoded.indexOf("_-"));
      const unit = encodeUserId(char);
      expect(head.length % unit.length, JSON.stringify(char)).toBe(0);
      expect(head).toBe(unit.repeat(head.length / unit.length));
      expectFileNameSafe(encoded, userId);
    }
  });

  it("drops an extension too long to keep", () => {
    const encoded = encodeUserId(`${"a".repeat(200)}.${"b".repeat(30)}`);
    expect(encoded).toMatch(/_-[0-9a-f]{32}$/);
  });

  it("keeps distinct long user ids distinct", () => {
    const prefix = "x".repeat(500);
    expect(encodeUserId(`${prefix}1`)).not.toBe(encodeUserId(`${prefix}2`));
  });
});

describe("decodeUserId", () => {
  it.each([
    ["_097", "non-canonical escape of a literal"],
    ["_A", "uppercase after the escape character"],
    ["A", "uppercase literal"],
    ["_", "dangling escape"],
    ["_12", "short byte escape"],
    ["_256", "byte out of range"],
    ["_255", "invalid UTF-8"],
    ["_195", "truncated UTF-8"],
    ["_237_160_128", "UTF-8 of a surrogate"],
    [".a", "leading dot"],
    ["a.", "trailing dot"],
    ["con", "Windows device name"],
    ["a b", "a space"],
    ["a_-0123", "shortened marker"],
  ])("rejects %j (%s)", (encoded) => {
    expect(decodeUserId(encoded)).toBeUndefined();
  });

  it("returns undefined for a non-string", () => {
    expect(decodeUserId(undefined as unknown as string)).toBeUndefined();
  });
});

describe("encodeUserId / decodeUserId round trip (property test)", () => {
  it("is one-to-one and file-name safe for 5000 random user ids", () => {
    const random = createRandom(0xce11a5);
    const encodings = new Map<string, string>();
    let shortened = 0;
    for (let run = 0; run < 5000; run++) {
      const userId = randomUserId(random);
      const encoded = encodeUserId(userId);
      expectFileNameSafe(encoded, userId);
      const decoded = decodeUserId(encoded);
      if (decoded === undefined) {
        shortened++;
        expect(encoded, JSON.stringify(userId)).toMatch(/_-[0-9a-f]{32}(\.[a-z0-9_-]+)?$/);
      } else {
        expect(decoded, JSON.stringify(userId)).toBe(userId);
      }
      const previous = encodings.get(encoded);
      if (previous !== undefined) expect(previous, `collision on ${encoded}`).toBe(userId);
      encodings.set(encoded, userId);
    }
    // Both branches must have been exercised.
    expect(shortened).toBeGreaterThan(50);
    expect(shortened).toBeLessThan(2500);
  });

  it("round-trips every BMP code point but surrogates, and sampled astral ones", () => {
    const chars: string[] = [];
    for (let codePoint = 0; codePoint <= 0xffff; codePoint++) {
      if (codePoint >= 0xd800 && codePoint <= 0xdfff) continue;
      chars.push(String.fromCodePoint(codePoint));
    }
    for (let codePoint = 0x10000; codePoint <= 0x10ffff; codePoint += 0x1003) chars.push(String.fromCodePoint(codePoint));
    // Five characters per id keeps each encoding below the shortening limit.
    for (let index = 0; index < chars.length; index += 5) {
      const userId = `k${chars.slice(index, index + 5).join("")}`;
      const encoded = encodeUserId(userId);
      expect(encoded).toMatch(/^[a-z0-9._-]*$/);
      expect(decodeUserId(encoded)).toBe(userId);
    }
  });
});
