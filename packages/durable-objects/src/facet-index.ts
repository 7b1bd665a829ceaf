import { closeSync, existsSync, fdatasyncSync, openSync, readFileSync, truncateSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { fsyncDirectory } from "./drop-tombstone.js";

/** The first 8 bytes of every `<rootId>.facets` file (workerd's format, spec/on-disk-layout.md §8). */
export const FACETS_MAGIC: Uint8Array = Uint8Array.of(0x57, 0xef, 0xb0, 0xc5, 0x5b, 0xce, 0xcd, 0xc4);
/** Facet ids are u16 and never reused. */
export const MAX_FACET_ID = 65535;

/** One entry of the index: facet `id` (its 1-based position), named `name` under `parent` (0 = the root). */
export interface FacetEntry {
  readonly id: number;
  readonly parent: number;
  readonly name: string;
}

/** The bytes of one entry: `u16 LE parent`, `u16 LE name length`, the UTF-8 name. */
function encodeEntry(parent: number, name: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(4 + name.length);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, parent, true);
  view.setUint16(2, name.length, true);
  bytes.set(name, 4);
  return bytes;
}

/**
 * A root object's facet index, `<rootId>.facets` (or in memory): append-only, so a facet keeps its
 * id `n` (and its file `<rootId>.<n>.sqlite`) for as long as the index exists. Appends are
 * datasync'd; a partial entry a crash left at the end is truncated when the file is read.
 */
export class FacetIndex {
  readonly #path: string | undefined;
  readonly #entries: FacetEntry[] = [];
  readonly #ids = new Map<string, number>();
  /** The file's bytes as they are (kept for memory indexes and tests). */
  #bytes: Uint8Array = new Uint8Array(0);

  /** `path` is `<dir>/<rootId>.facets`; undefined keeps the index in memory. */
  constructor(path: string | undefined) {
    this.#path = path;
    if (path !== undefined && existsSync(path)) this.#load(path);
  }

  /** Every entry, in id order. */
  get entries(): readonly FacetEntry[] {
    return this.#entries;
  }

  /** The index in workerd's byte format (empty before the first facet). */
  bytes(): Uint8Array {
    return this.#bytes.slice();
  }

  /** The id of `name` under `parent`, if it was ever assigned. */
  lookup(parent: number, name: string): number | undefined {
    return this.#ids.get(key(parent, Buffer.from(name, "utf8").toString("utf8")));
  }

  /** The id of `name` under `parent`, appending a new entry (durably) if there is none. */
  assign(parent: number, name: string): number {
    const encoded = Buffer.from(name, "utf8");
    const decoded = encoded.toString("utf8");
    const existing = this.#ids.get(key(parent, decoded));
    if (existing !== undefined) return existing;
    const id = this.#entries.length + 1;
    if (id > MAX_FACET_ID) throw new RangeError(`A Durable Object cannot have more than ${MAX_FACET_ID} facets.`);
    const entry = encodeEntry(parent, encoded);
    const fresh = this.#bytes.length === 0;
    const chunk = fresh ? concat(FACETS_MAGIC, entry) : entry;
    if (this.#path !== undefined) {
      const fd = openSync(this.#path, "a");
      try {
        writeSync(fd, chunk);
        fdatasyncSync(fd);
      } finally {
        closeSync(fd);
      }
      if (fresh) fsyncDirectory(dirname(this.#path));
    }
    this.#bytes = concat(this.#bytes, chunk);
    this.#add({ id, parent, name: decoded });
    return id;
  }

  /** The direct children of `parent`. */
  children(parent: number): FacetEntry[] {
    return this.#entries.filter((entry) => entry.parent === parent);
  }

  /** `id` and every facet below it, parents first. */
  subtree(id: number): number[] {
    const result = [id];
    // A parent always precedes its children in the file, so one pass in id order finds them all.
    const inTree = new Set(result);
    for (const entry of this.#entries) {
      if (entry.id > id && inTree.has(entry.parent)) {
        inTree.add(entry.id);
        result.push(entry.id);
      }
    }
    return result;
  }

  #add(entry: FacetEntry): void {
    this.#entries.push(entry);
    this.#ids.set(key(entry.parent, entry.name), entry.id);
  }

  #load(path: string): void {
    const bytes = new Uint8Array(readFileSync(path));
    if (bytes.length < FACETS_MAGIC.length || !FACETS_MAGIC.every((byte, i) => bytes[i] === byte)) {
      // A crash during the very first append can leave a prefix of the magic: start over.
      const prefix = bytes.every((byte, i) => byte === FACETS_MAGIC[i]);
      if (bytes.length >= FACETS_MAGIC.length || !prefix) throw new Error(`${path} is not a Durable Object facets index (bad magic bytes).`);
      if (bytes.length > 0) this.#truncate(path, 0);
      return;
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let offset = FACETS_MAGIC.length;
    while (offset + 4 <= bytes.length) {
      const parent = view.getUint16(offset, true);
      const length = view.getUint16(offset + 2, true);
      if (offset + 4 + length > bytes.length) break;
      // A parent must already exist; anything else is a torn or garbage tail.
      if (parent > this.#entries.length) break;
      const name = Buffer.from(bytes.subarray(offset + 4, offset + 4 + length)).toString("utf8");
      this.#add({ id: this.#entries.length + 1, parent, name });
      offset += 4 + length;
    }
    if (offset < bytes.length) this.#truncate(path, offset);
    this.#bytes = bytes.slice(0, offset);
  }

  #truncate(path: string, length: number): void {
    truncateSync(path, length);
    const fd = openSync(path, "r+");
    try {
      fdatasyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}

function key(parent: number, name: string): string {
  return `${parent}:${name}`;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
