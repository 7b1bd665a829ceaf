import type { SqlDatabase, SqlStatement } from "@cellar/metadata-store";

/**
 * Miniflare 4's `_mf_entries` schema, which KV namespaces and caches share, byte for byte
 * (on-disk-layout L1), so `wrangler dev` and cellar read each other's files. Nothing else is
 * ever added to these files (L2).
 */
export const ENTRIES_SCHEMA = `
CREATE TABLE IF NOT EXISTS _mf_entries (
  key TEXT PRIMARY KEY,
  blob_id TEXT NOT NULL,
  expiration INTEGER,
  metadata TEXT
);
CREATE INDEX IF NOT EXISTS _mf_entries_expiration_idx ON _mf_entries(expiration);
`;

/** `[blob_id, expiration, metadata]` of one entry; `expiration` in epoch ms (a cache's may be fractional). */
export type EntryRow = [blobId: string, expiration: number | null, metadata: string | null];
/** `[key, expiration, metadata]` of one listed entry. */
export type ListedRow = [key: string, expiration: number | null, metadata: string | null];

const LIVE = "(expiration IS NULL OR expiration > :now)";

/**
 * The prepared statements of one KV namespace's or cache's database. Statements are prepared
 * once, on first use, and return raw rows (arrays): the hot paths (`get`, `put`, `match`) then
 * cost one or two steps of an already compiled statement and no per-row object.
 */
export class EntriesTable {
  readonly #db: SqlDatabase;
  readonly #statements = new Map<string, SqlStatement<unknown[]>>();

  /**
   * Sets the connection up (Miniflare's `PRAGMA case_sensitive_like = TRUE`, which is per
   * connection) and creates the table and index if they do not exist yet.
   */
  constructor(db: SqlDatabase) {
    this.#db = db;
    db.exec("PRAGMA case_sensitive_like = TRUE");
    db.transaction(() => db.exec(ENTRIES_SCHEMA));
  }

  /** The database, for transactions and `flush()`. */
  get db(): SqlDatabase {
    return this.#db;
  }

  /** The entry stored under `key`, expired or not. */
  get(key: string): EntryRow | undefined {
    return this.#statement<EntryRow>("SELECT blob_id, expiration, metadata FROM _mf_entries WHERE key = ?").get(key);
  }

  /** The blob id stored under `key`. */
  blobIdOf(key: string): string | undefined {
    return this.#statement<[string]>("SELECT blob_id FROM _mf_entries WHERE key = ?").get(key)?.[0];
  }

  /** Inserts or replaces an entry, with Miniflare's statement and explicit columns (L2). */
  upsert(key: string, blobId: string, expiration: number | null, metadata: string | null): void {
    this.#statement(
      "INSERT OR REPLACE INTO _mf_entries (key, blob_id, expiration, metadata) VALUES (?, ?, ?, ?)",
    ).run(key, blobId, expiration, metadata);
  }

  /** Deletes the entry under `key`; returns its blob id and expiration, if there was one. */
  delete(key: string): [blobId: string, expiration: number | null] | undefined {
    return this.#statement<[string, number | null]>("DELETE FROM _mf_entries WHERE key = ? RETURNING blob_id, expiration").get(key);
  }

  /**
   * Deletes the entry under `key` only if it still points to `blobId`, so removing an expired
   * or broken entry never removes a newer value that a concurrent `put` committed meanwhile.
   */
  deleteIfBlob(key: string, blobId: string): boolean {
    return this.#statement("DELETE FROM _mf_entries WHERE key = ? AND blob_id = ?").run(key, blobId).changes > 0;
  }

  /**
   * Live entries in key order (SQLite's BINARY collation: UTF-8 byte order), after `after`
   * (inclusive when `inclusive`), below `before` when given, at most `limit`. Both bounds are
   * plain comparisons on the primary key, so SQLite scans just the index range.
   */
  list(after: string, inclusive: boolean, before: string | undefined, now: number, limit: number): ListedRow[] {
    const lower = inclusive ? "key >= :after" : "key > :after";
    const upper = before === undefined ? "" : " AND key < :before";
    const statement = this.#statement<ListedRow>(
      `SELECT key, expiration, metadata FROM _mf_entries WHERE ${lower}${upper} AND ${LIVE} ORDER BY key LIMIT :limit`,
    );
    return before === undefined ? statement.all({ after, now, limit }) : statement.all({ after, before, now, limit });
  }

  /**
   * Deletes up to `limit` entries that expired at or before `now`, oldest first, found through
   * the expiration index; returns their blob ids. Bounded, so a purge never stalls a caller
   * nor holds the write lock for long (spec K7, on-disk-layout L6).
   */
  deleteExpired(now: number, limit: number): string[] {
    const rows = this.#statement<[string]>(
      "DELETE FROM _mf_entries WHERE rowid IN (SELECT rowid FROM _mf_entries WHERE expiration <= ? ORDER BY expiration LIMIT ?) RETURNING blob_id",
    ).all(now, limit);
    return rows.map((row) => row[0]);
  }

  /** Deletes up to `limit` entries, expired or not; returns their blob ids (wiping a cache in steps). */
  deleteSome(limit: number): string[] {
    const rows = this.#statement<[string]>(
      "DELETE FROM _mf_entries WHERE rowid IN (SELECT rowid FROM _mf_entries LIMIT ?) RETURNING blob_id",
    ).all(limit);
    return rows.map((row) => row[0]);
  }

  /** Every blob id an entry references (expired entries included: their blobs still exist). */
  referencedBlobIds(): Set<string> {
    const ids = new Set<string>();
    for (const [id] of this.#statement<[string]>("SELECT blob_id FROM _mf_entries").iterate()) ids.add(id);
    return ids;
  }

  #statement<Row extends unknown[]>(sql: string): SqlStatement<Row> {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare<unknown[]>(sql).raw();
      this.#statements.set(sql, statement);
    }
    return statement as unknown as SqlStatement<Row>;
  }
}
