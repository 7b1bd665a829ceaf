import type { SqlValue } from "@cellar/metadata-store";
import { isEmptyRange, type KeyRange } from "./key-range.js";
import type { ObjectDatabase } from "./object-database.js";
import { UPSERT_KV } from "./storage-schema.js";

/**
 * Rows of `_cf_KV`. Keys are TEXT compared with SQLite's BINARY collation, which is memcmp of the
 * UTF-8 bytes: the order workerd lists in. Text bounds use the primary key; a prefix's byte
 * bound is compared with `CAST(key AS BLOB)`.
 */
export class KvTable {
  readonly #object: ObjectDatabase;

  constructor(object: ObjectDatabase) {
    this.#object = object;
  }

  /** The stored bytes of `key`, or undefined. */
  get(key: string): Uint8Array | undefined {
    if (!this.#object.hasKvTable()) return undefined;
    const row = this.#object.statement("SELECT value FROM _cf_KV WHERE key = ?").get(key) as { value: SqlValue } | undefined;
    return row === undefined ? undefined : asBytes(row.value);
  }

  /** Writes `key`; the caller has opened the write. */
  put(key: string, value: Uint8Array): void {
    this.#object.ensureKvTable();
    this.#object.statement(UPSERT_KV).run(key, value);
  }

  /** Deletes `key`; true when it existed. */
  delete(key: string): boolean {
    if (!this.#object.hasKvTable()) return false;
    return this.#object.statement("DELETE FROM _cf_KV WHERE key = ?").run(key).changes > 0;
  }

  /** Entries in the range, in UTF-8 order (descending with `reverse`). */
  list(range: KeyRange): [string, Uint8Array][] {
    if (!this.#object.hasKvTable() || isEmptyRange(range)) return [];
    const where: string[] = [];
    const params: (string | Uint8Array)[] = [];
    if (range.lower !== undefined) where.push("key >= ?"), params.push(range.lower);
    if (range.upper !== undefined) where.push("key < ?"), params.push(range.upper);
    if (range.prefixUpper !== undefined) where.push("CAST(key AS BLOB) < ?"), params.push(range.prefixUpper);
    const sql = `SELECT key, value FROM _cf_KV${where.length > 0 ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY key ${range.reverse ? "DESC" : "ASC"}${range.limit === undefined ? "" : ` LIMIT ${range.limit}`}`;
    const rows = this.#object.statement(sql).all(...params) as { key: string; value: SqlValue }[];
    return rows.map((row) => [row.key, asBytes(row.value)]);
  }
}

function asBytes(value: SqlValue): Uint8Array {
  if (value instanceof Uint8Array) return value;
  // workerd only writes BLOBs; anything else came from elsewhere and is read as its text bytes.
  return new TextEncoder().encode(value === null ? "" : String(value));
}
