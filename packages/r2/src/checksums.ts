import { badDigestError } from "./r2-errors.js";
import type { R2Checksums, R2StringChecksums } from "./r2-types.js";

/** The five hashes `put` can verify, in the order the binding reads them. */
export const HASH_ALGORITHMS = [
  { field: "md5", name: "MD5", node: "md5", bytes: 16 },
  { field: "sha1", name: "SHA-1", node: "sha1", bytes: 20 },
  { field: "sha256", name: "SHA-256", node: "sha256", bytes: 32 },
  { field: "sha384", name: "SHA-384", node: "sha384", bytes: 48 },
  { field: "sha512", name: "SHA-512", node: "sha512", bytes: 64 },
] as const;

export type HashAlgorithm = (typeof HASH_ALGORITHMS)[number];
export type ChecksumField = HashAlgorithm["field"];

/** The hash a `put` asked to verify, as lowercase hex. */
export interface ExpectedChecksum {
  readonly algorithm: HashAlgorithm;
  readonly hex: string;
}

const HEX = /^[0-9a-fA-F]*$/;

/**
 * Reads `md5` … `sha512` from `put` options as the binding does: at most one of them, as an
 * `ArrayBuffer`/view of the right length or a hex string (any case) of the right length.
 *
 * @throws {TypeError} for two hashes, a wrong length, bad hex or another type, in the binding's words.
 */
export function parseChecksumOption(options: Record<string, unknown>): ExpectedChecksum | undefined {
  let expected: ExpectedChecksum | undefined;
  for (const algorithm of HASH_ALGORITHMS) {
    const value = options[algorithm.field];
    if (value === undefined) continue;
    if (expected !== undefined) throw new TypeError("You cannot specify multiple hashing algorithms.");
    expected = { algorithm, hex: checksumHex(algorithm, value) };
  }
  return expected;
}

function checksumHex(algorithm: HashAlgorithm, value: unknown): string {
  const { name, bytes } = algorithm;
  if (typeof value === "string") {
    if (value.length !== bytes * 2) throw new TypeError(`${name} is ${bytes * 2} hex characters, not ${value.length}`);
    if (!HEX.test(value)) throw new TypeError(`Provided ${name} wasn't a valid hex string`);
    return value.toLowerCase();
  }
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
    const view = value instanceof ArrayBuffer ? new Uint8Array(value) : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    if (view.byteLength !== bytes) throw new TypeError(`${name} is ${bytes} bytes, not ${view.byteLength}`);
    return Buffer.from(view).toString("hex");
  }
  throw new TypeError(`${algorithm.field} must be an ArrayBuffer, an ArrayBufferView or a hex string`);
}

/**
 * Compares the hash given to `put` with the one computed while storing the body.
 *
 * @throws {Error} `put: The <ALG> checksum you specified did not match … (10037)` on a mismatch.
 */
export function verifyChecksum(expected: ExpectedChecksum, actualHex: string): void {
  if (expected.hex !== actualHex) throw badDigestError(expected.algorithm.name, expected.hex, actualHex);
}

const HEX_MD5 = /^[0-9a-f]{32}$/;

/**
 * An object's checksums: the stored JSON (the hash given to `put`, recomputed) plus, for a
 * single-part object, its MD5, which is the etag (Miniflare stores it only there).
 */
export function checksumsOf(etag: string, checksumsJson: string): R2Checksums {
  const stored = JSON.parse(checksumsJson) as R2StringChecksums;
  const hex: R2StringChecksums = {};
  for (const { field } of HASH_ALGORITHMS) {
    const value = field === "md5" && HEX_MD5.test(etag) ? etag : stored[field];
    if (typeof value === "string") hex[field] = value;
  }
  return new Checksums(hex);
}

/**
 * `R2Checksums`: each hash as a fresh `ArrayBuffer` (getters, as in Workers, so an absent hash
 * reads as `undefined`), and as hex through `toJSON()`.
 */
class Checksums implements R2Checksums {
  readonly #hex: R2StringChecksums;

  constructor(hex: R2StringChecksums) {
    this.#hex = hex;
  }

  get md5(): ArrayBuffer | undefined {
    return bufferOf(this.#hex.md5);
  }

  get sha1(): ArrayBuffer | undefined {
    return bufferOf(this.#hex.sha1);
  }

  get sha256(): ArrayBuffer | undefined {
    return bufferOf(this.#hex.sha256);
  }

  get sha384(): ArrayBuffer | undefined {
    return bufferOf(this.#hex.sha384);
  }

  get sha512(): ArrayBuffer | undefined {
    return bufferOf(this.#hex.sha512);
  }

  toJSON(): R2StringChecksums {
    return { ...this.#hex };
  }
}

function bufferOf(hex: string | undefined): ArrayBuffer | undefined {
  if (hex === undefined) return undefined;
  const bytes = Buffer.from(hex, "hex");
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
