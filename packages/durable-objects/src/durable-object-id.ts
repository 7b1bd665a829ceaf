import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { idFromName } from "@cellar/metadata-store";
import { MESSAGES } from "./messages.js";

/**
 * A Durable Object id: 64 lowercase hex digits, `a ‖ HMAC(key, a)[0:16]`, with the key derived
 * from the namespace's unique key (on-disk-layout.md §3). The id names the object's file.
 */
export class CellarDurableObjectId {
  readonly #hex: string;
  /** The name passed to `idFromName`, or `undefined` for unique and parsed ids. */
  readonly name: string | undefined;

  /** Use the namespace's `idFromName`, `newUniqueId` or `idFromString` instead. */
  constructor(hex: string, name?: string) {
    this.#hex = hex;
    this.name = name;
  }

  /** The 64-hex-digit id, as `idFromString` accepts it and as the file is named. */
  toString(): string {
    return this.#hex;
  }

  /** True when `other` names the same object. */
  equals(other: { toString(): string }): boolean {
    return other.toString() === this.#hex;
  }
}

/** Derives, mints and checks ids for one namespace. */
export class IdFactory {
  readonly #uniqueKey: string;
  readonly #key: Buffer;

  constructor(uniqueKey: string) {
    this.#uniqueKey = uniqueKey;
    this.#key = createHash("sha256").update(uniqueKey).digest();
  }

  /** The deterministic id of `name`; equal to what workerd computes, so the file name matches. */
  idFromName(name: string): CellarDurableObjectId {
    return new CellarDurableObjectId(idFromName(this.#uniqueKey, String(name)), String(name));
  }

  /** A random id: 16 random bytes followed by the namespace's MAC of them. */
  newUniqueId(): CellarDurableObjectId {
    const a = randomBytes(16);
    return new CellarDurableObjectId(Buffer.concat([a, this.#mac(a)]).toString("hex"));
  }

  /** Parses an id, rejecting bad syntax and ids minted by another namespace with the runtime's messages. */
  idFromString(text: string): CellarDurableObjectId {
    const hex = String(text);
    if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new TypeError(MESSAGES.invalidIdFormat);
    const bytes = Buffer.from(hex, "hex");
    if (!timingSafeEqual(this.#mac(bytes.subarray(0, 16)), bytes.subarray(16))) throw new TypeError(MESSAGES.idWrongNamespace);
    return new CellarDurableObjectId(hex.toLowerCase());
  }

  #mac(a: Uint8Array): Buffer {
    return createHmac("sha256", this.#key).update(a).digest().subarray(0, 16);
  }
}
