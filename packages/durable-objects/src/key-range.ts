import { MESSAGES } from "./messages.js";

/** `list()` options shared by the async and the synchronous KV APIs. */
export interface ListOptions {
  /** First key (inclusive). */
  readonly start?: string;
  /** List keys after this one (exclusive); cannot be combined with `start`. */
  readonly startAfter?: string;
  /** Last key (exclusive). */
  readonly end?: string;
  /** Only keys with this prefix. */
  readonly prefix?: string;
  /** Descending order; with `limit`, the last N keys. */
  readonly reverse?: boolean;
  /** At most this many entries; must be positive. */
  readonly limit?: number;
}

/**
 * A validated key range: `lower` inclusive and `upper` exclusive as text (SQLite compares TEXT
 * by its UTF-8 bytes, and a text bound keeps the primary-key index usable), plus a prefix's
 * byte bound, which need not be valid UTF-8 and is therefore compared as a BLOB.
 */
export interface KeyRange {
  readonly lower: string | undefined;
  readonly upper: string | undefined;
  readonly prefixUpper: Uint8Array | undefined;
  readonly reverse: boolean;
  readonly limit: number | undefined;
}

const encoder = new TextEncoder();

/**
 * Turns list options into a range (spec §3): `startAfter` becomes `startAfter + "\0"`, and a
 * prefix's upper bound is the prefix with trailing 0xFF bytes dropped and its last byte
 * incremented.
 */
export function keyRange(options: ListOptions = {}): KeyRange {
  const { start, startAfter, end, prefix, reverse, limit } = options;
  if (start !== undefined && startAfter !== undefined) throw new TypeError(MESSAGES.listStartAndStartAfter);
  if (limit !== undefined && !(Number(limit) > 0)) throw new TypeError(MESSAGES.listLimit);
  let lower = start !== undefined ? String(start) : startAfter !== undefined ? `${String(startAfter)}\0` : undefined;
  let prefixUpper: Uint8Array | undefined;
  if (prefix !== undefined) {
    const text = String(prefix);
    if (lower === undefined || compareBytes(lower, text) < 0) lower = text;
    prefixUpper = prefixUpperBound(encoder.encode(text));
  }
  return { lower, upper: end === undefined ? undefined : String(end), prefixUpper, reverse: reverse === true, limit: limit === undefined ? undefined : Math.floor(Number(limit)) };
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(encoder.encode(a), encoder.encode(b));
}

function prefixUpperBound(prefix: Uint8Array): Uint8Array | undefined {
  let end = prefix.length;
  while (end > 0 && prefix[end - 1] === 0xff) end--;
  if (end === 0) return undefined;
  const bound = prefix.slice(0, end);
  bound[end - 1]! += 1;
  return bound;
}

/** True when the range can hold no key. */
export function isEmptyRange(range: KeyRange): boolean {
  if (range.lower === undefined) return false;
  const lower = encoder.encode(range.lower);
  if (range.upper !== undefined && Buffer.compare(lower, encoder.encode(range.upper)) >= 0) return true;
  return range.prefixUpper !== undefined && Buffer.compare(lower, range.prefixUpper) >= 0;
}
