import type { SqlDatabase } from "@cellar/metadata-store";

/** workerd divides by `uint32_t` max (not 2^32) when splitting the counter; kept for identical strings. */
const UINT32_MAX = 4294967295;

function hex8(value: number): string {
  return value.toString(16).padStart(8, "0");
}

/**
 * A bookmark as workerd formats its local counter: `%08x-%08x-00000000-` followed by 32 zeros,
 * so bookmarks compare in counter order as strings.
 */
export function formatBookmark(counter: number): string {
  return `${hex8(Math.floor(counter / UINT32_MAX))}-${hex8(counter % UINT32_MAX)}-00000000-${"0".repeat(32)}`;
}

/**
 * The commit tokens of one database. workerd hands out a new one for every successful request,
 * continuing from the counter it keeps in `_cf_METADATA` (key 2), so bookmarks from an earlier
 * `wrangler dev` session sort before this one's. cellar reads that counter once, if the file has
 * the table, and counts on in memory: it never writes `_cf_METADATA`, which belongs to workerd.
 */
export class BookmarkCounter {
  #next: number;

  constructor(database: SqlDatabase) {
    this.#next = storedCounter(database) + 1;
  }

  /** The counter of the request that just succeeded (formatted only where a session keeps it). */
  next(): number {
    return this.#next++;
  }
}

function storedCounter(database: SqlDatabase): number {
  try {
    const exists = database.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = '_cf_METADATA'").raw().get();
    if (exists === undefined) return -1;
    const row = database.prepare<[unknown]>("SELECT value FROM _cf_METADATA WHERE key = 2").raw().get();
    const value = row?.[0];
    if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return value;
    if (typeof value === "bigint" && value >= 0n) return Number(value);
  } catch {
    // An unreadable or differently shaped table only means bookmarks start from zero.
  }
  return -1;
}
