/**
 * workerd's tables, with its exact SQL (spec/durable-objects.md §4). SQLite stores the text from
 * the table name onwards in `sqlite_master`, so keeping workerd's whitespace keeps the schema
 * byte-identical to a file workerd created. Tables are created lazily, as workerd does, so an
 * object that never uses the KV API has no `_cf_KV`.
 */
export const CREATE_KV_TABLE = `CREATE TABLE IF NOT EXISTS _cf_KV (
        key TEXT PRIMARY KEY,
        value BLOB
      ) WITHOUT ROWID`;

export const CREATE_METADATA_TABLE = `CREATE TABLE IF NOT EXISTS _cf_METADATA (
        key INTEGER PRIMARY KEY,
        value BLOB
      )`;

/** workerd's upsert: keeps the row (and, in WITHOUT ROWID, its place) instead of REPLACE's delete + insert. */
export const UPSERT_KV = "INSERT INTO _cf_KV VALUES(?, ?) ON CONFLICT DO UPDATE SET value = excluded.value";

/** `_cf_METADATA` key 1: the alarm, ns since the epoch (NULL when cleared; the row stays). */
export const ALARM_KEY = 1;

/** `_cf_METADATA` key 2: the local development bookmark counter. */
export const BOOKMARK_KEY = 2;

/** SQLite's page size for these files; `databaseSize` counts pages of it. */
export const PAGE_SIZE = 4096;
