import { DEFAULT_STORAGE_CLASS } from "./r2-schema.js";
import type { StatementCache } from "./statement-cache.js";

/** An `_mf_objects` row, as Miniflare writes it. */
export interface ObjectRow {
  readonly key: string;
  /** `null` for a multipart object, whose bytes are its linked parts. */
  readonly blob_id: string | null;
  readonly version: string;
  readonly size: number;
  readonly etag: string;
  /** Epoch milliseconds. */
  readonly uploaded: number;
  /** JSON of the hash given to `put` (lowercase hex), `{}` for none. */
  readonly checksums: string;
  readonly http_metadata: string;
  readonly custom_metadata: string;
}

/** An object as read: its row plus its storage class from cellar's side table. */
export interface ObjectRecord extends ObjectRow {
  readonly storage_class: string;
}

/** A linked part of a multipart object: its blob and size, in part-number order. */
export interface PartSlice {
  readonly blob_id: string;
  readonly size: number;
}

const COLUMNS = "o.key, o.blob_id, o.version, o.size, o.etag, o.uploaded, o.checksums, o.http_metadata, o.custom_metadata";
const WITH_CLASS = `${COLUMNS}, coalesce(c.storage_class, '${DEFAULT_STORAGE_CLASS}')`;

/** An object read as a raw row: the columns of {@link WITH_CLASS}, in order. */
type RecordRow = [string, string | null, string, number, string, number, string, string, string, string];

function toRecord(row: RecordRow): ObjectRecord {
  const [key, blob_id, version, size, etag, uploaded, checksums, http_metadata, custom_metadata, storage_class] = row;
  return { key, blob_id, version, size, etag, uploaded, checksums, http_metadata, custom_metadata, storage_class };
}
const JOIN_CLASS = "LEFT JOIN _cellar_r2_objects c ON c.key = o.key AND c.version = o.version";

/**
 * The statements on `_mf_objects` (and the storage-class side table). Writes use Miniflare's
 * `INSERT OR REPLACE` with an explicit column list (L2).
 */
export class ObjectsTable {
  readonly #statements: StatementCache;

  constructor(statements: StatementCache) {
    this.#statements = statements;
  }

  /** The object stored under `key`. */
  get(key: string): ObjectRecord | undefined {
    const row = this.#statements.raw<RecordRow>(`SELECT ${WITH_CLASS} FROM _mf_objects o ${JOIN_CLASS} WHERE o.key = ?`).get(key);
    return row === undefined ? undefined : toRecord(row);
  }

  /**
   * The object under `key` and, for a multipart object, its linked parts in part-number order.
   * One statement, so one snapshot even while another process writes.
   */
  getWithParts(key: string): { record: ObjectRecord; parts: PartSlice[] } | undefined {
    const rows = this.#statements
      .raw<[...RecordRow, string | null, number | null]>(
        `SELECT ${WITH_CLASS}, p.blob_id, p.size
         FROM _mf_objects o ${JOIN_CLASS}
         LEFT JOIN _mf_multipart_parts p ON o.blob_id IS NULL AND p.object_key = o.key
         WHERE o.key = ? ORDER BY p.part_number`,
      )
      .all(key);
    const first = rows[0];
    if (first === undefined) return undefined;
    const parts: PartSlice[] = [];
    for (const row of rows) {
      if (row[10] !== null) parts.push({ blob_id: row[10], size: row[11]! });
    }
    return { record: toRecord(first.slice(0, 10) as RecordRow), parts };
  }

  /** Inserts or replaces the row, and records its storage class (nothing for the default). */
  upsert(row: ObjectRow, storageClass: string): void {
    this.#statements
      .get(
        `INSERT OR REPLACE INTO _mf_objects (key, blob_id, version, size, etag, uploaded, checksums, http_metadata, custom_metadata)
         VALUES (:key, :blob_id, :version, :size, :etag, :uploaded, :checksums, :http_metadata, :custom_metadata)`,
      )
      .run({ ...row });
    this.#clearClass(row.key);
    if (storageClass !== DEFAULT_STORAGE_CLASS) {
      this.#statements
        .get("INSERT INTO _cellar_r2_objects (key, version, storage_class) VALUES (?, ?, ?)")
        .run(row.key, row.version, storageClass);
    }
  }

  /**
   * Deletes the object under `key` with every part linked to it; returns the blob ids that no
   * row references any more (none when there was no object).
   */
  delete(key: string): string[] {
    const deleted = this.#statements.get<{ blob_id: string | null }>("DELETE FROM _mf_objects WHERE key = ? RETURNING blob_id").get(key);
    if (deleted === undefined) return [];
    this.#clearClass(key);
    return deleted.blob_id === null ? this.deleteLinkedParts(key) : [deleted.blob_id];
  }

  /**
   * Deletes the parts linked to the object `key` (the previous object of a key being replaced);
   * returns their blob ids. The object-key foreign key is deferred, so this may run after the
   * object row is gone or replaced.
   */
  deleteLinkedParts(key: string): string[] {
    return this.#statements
      .get<{ blob_id: string }>("DELETE FROM _mf_multipart_parts WHERE object_key = ? RETURNING blob_id")
      .all(key)
      .map((row) => row.blob_id);
  }

  /** The blobs an object under `key` holds now: its blob, or its linked parts. */
  blobIdsOf(key: string): string[] {
    const row = this.#statements.get<{ blob_id: string | null }>("SELECT blob_id FROM _mf_objects WHERE key = ?").get(key);
    if (row === undefined) return [];
    if (row.blob_id !== null) return [row.blob_id];
    return this.#statements
      .get<{ blob_id: string }>("SELECT blob_id FROM _mf_multipart_parts WHERE object_key = ?")
      .all(key)
      .map((part) => part.blob_id);
  }

  /**
   * Objects in key order (BINARY collation: UTF-8 byte order) from `lower` (inclusive when
   * `inclusive`) up to `upper` (exclusive, when given), at most `limit`. Both bounds are plain
   * comparisons on the primary key, so SQLite scans just the index range.
   */
  list(lower: string, inclusive: boolean, upper: string | undefined, limit: number): ObjectRecord[] {
    const statement = this.#statements.raw<RecordRow>(`${this.#listSql(inclusive, upper)} LIMIT :limit`);
    return (upper === undefined ? statement.all({ lower, limit }) : statement.all({ lower, upper, limit })).map(toRecord);
  }

  /** Like {@link list}, lazily: stop iterating (break) before running another statement. */
  *iterate(lower: string, inclusive: boolean, upper: string | undefined): Generator<ObjectRecord, void, undefined> {
    const statement = this.#statements.raw<RecordRow>(this.#listSql(inclusive, upper));
    const rows = upper === undefined ? statement.iterate({ lower }) : statement.iterate({ lower, upper });
    for (const row of rows) yield toRecord(row);
  }

  /** The greatest key from `lower` (inclusive) below `upper` (when given). */
  maxKey(lower: string, upper: string | undefined): string | undefined {
    const where = upper === undefined ? "key >= :lower" : "key >= :lower AND key < :upper";
    const statement = this.#statements.get<{ last: string | null }>(`SELECT max(key) AS last FROM _mf_objects WHERE ${where}`);
    const row = upper === undefined ? statement.get({ lower }) : statement.get({ lower, upper });
    return row?.last ?? undefined;
  }

  /**
   * Drops side-table rows that no longer apply: storage classes of object versions that are
   * gone (overwritten or deleted by another writer, such as `wrangler dev`) and records of
   * uploads that are no longer in progress. Returns how many rows went.
   */
  pruneSideRows(): number {
    const objects = this.#statements
      .get(
        `DELETE FROM _cellar_r2_objects WHERE NOT EXISTS
         (SELECT 1 FROM _mf_objects o WHERE o.key = _cellar_r2_objects.key AND o.version = _cellar_r2_objects.version)`,
      )
      .run().changes;
    const uploads = this.#statements
      .get(
        `DELETE FROM _cellar_r2_uploads WHERE NOT EXISTS
         (SELECT 1 FROM _mf_multipart_uploads u WHERE u.upload_id = _cellar_r2_uploads.upload_id AND u.state = 0)`,
      )
      .run().changes;
    return objects + uploads;
  }

  /** Every blob id an object or a part row references. */
  referencedBlobIds(): Set<string> {
    const ids = new Set<string>();
    const rows = this.#statements
      .get<{ blob_id: string }>(
        "SELECT blob_id FROM _mf_objects WHERE blob_id IS NOT NULL UNION ALL SELECT blob_id FROM _mf_multipart_parts",
      )
      .iterate();
    for (const row of rows) ids.add(row.blob_id);
    return ids;
  }

  #clearClass(key: string): void {
    this.#statements.get("DELETE FROM _cellar_r2_objects WHERE key = ?").run(key);
  }

  /**
   * A listing statement. Most buckets never record a storage class, and then the join with the
   * side table, which costs as much as the rest of the scan, is skipped.
   */
  #listSql(inclusive: boolean, upper: string | undefined): string {
    const lower = inclusive ? "o.key >= :lower" : "o.key > :lower";
    const bound = upper === undefined ? "" : " AND o.key < :upper";
    const anyClass = this.#statements.raw<[number]>("SELECT EXISTS (SELECT 1 FROM _cellar_r2_objects)").get()![0] === 1;
    const source = anyClass ? `SELECT ${WITH_CLASS} FROM _mf_objects o ${JOIN_CLASS}` : `SELECT ${COLUMNS}, '${DEFAULT_STORAGE_CLASS}' FROM _mf_objects o`;
    return `${source} WHERE ${lower}${bound} ORDER BY o.key`;
  }
}
