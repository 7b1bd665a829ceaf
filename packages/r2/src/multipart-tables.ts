import { DEFAULT_STORAGE_CLASS, UploadState } from "./r2-schema.js";
import type { StatementCache } from "./statement-cache.js";

/** An upload as cellar reads it: Miniflare's row plus cellar's side-table fields. */
export interface UploadRecord {
  readonly http_metadata: string;
  readonly custom_metadata: string;
  /** 0 in progress, 1 completed, 2 aborted. */
  readonly state: number;
  readonly storage_class: string;
  /** Epoch ms when the upload was created, or first seen by cellar; `null` if not recorded yet. */
  readonly created: number | null;
}

/** An uploaded part, as `complete` checks it. */
export interface PartRecord {
  readonly part_number: number;
  readonly size: number;
  readonly etag: string;
  readonly checksum_md5: string;
}

/** An `_mf_multipart_parts` row as `uploadPart` writes it (not linked to an object yet). */
export interface NewPartRow {
  readonly upload_id: string;
  readonly part_number: number;
  readonly blob_id: string;
  readonly size: number;
  readonly etag: string;
  readonly checksum_md5: string;
}

/**
 * The statements on `_mf_multipart_uploads`, `_mf_multipart_parts` and cellar's upload side
 * table. Upload rows are never deleted, as in Miniflare: finished uploads must stay
 * distinguishable from unknown ones.
 */
export class MultipartTables {
  readonly #statements: StatementCache;

  constructor(statements: StatementCache) {
    this.#statements = statements;
  }

  /** The upload `uploadId` if it belongs to `key`. */
  upload(uploadId: string, key: string): UploadRecord | undefined {
    return this.#statements
      .get<UploadRecord>(
        `SELECT u.http_metadata, u.custom_metadata, u.state,
                coalesce(c.storage_class, '${DEFAULT_STORAGE_CLASS}') AS storage_class, c.created
         FROM _mf_multipart_uploads u LEFT JOIN _cellar_r2_uploads c ON c.upload_id = u.upload_id
         WHERE u.upload_id = ? AND u.key = ?`,
      )
      .get(uploadId, key);
  }

  /** Records a new upload and cellar's side row (creation time, storage class). */
  create(uploadId: string, key: string, httpMetadata: string, customMetadata: string, storageClass: string, created: number): void {
    this.#statements
      .get("INSERT INTO _mf_multipart_uploads (upload_id, key, http_metadata, custom_metadata) VALUES (?, ?, ?, ?)")
      .run(uploadId, key, httpMetadata, customMetadata);
    this.recordCreated(uploadId, created, storageClass);
  }

  /** Starts the expiry clock of an upload cellar had no record of (one made by `wrangler dev`). */
  recordCreated(uploadId: string, created: number, storageClass = DEFAULT_STORAGE_CLASS): void {
    this.#statements
      .get("INSERT OR IGNORE INTO _cellar_r2_uploads (upload_id, created, storage_class) VALUES (?, ?, ?)")
      .run(uploadId, created, storageClass);
  }

  /** Marks an upload completed or aborted, and drops its side row, which no longer matters. */
  finish(uploadId: string, state: typeof UploadState.completed | typeof UploadState.aborted): void {
    this.#statements.get("UPDATE _mf_multipart_uploads SET state = ? WHERE upload_id = ?").run(state, uploadId);
    this.#statements.get("DELETE FROM _cellar_r2_uploads WHERE upload_id = ?").run(uploadId);
  }

  /** In-progress uploads with their recorded creation time (`null` when never seen). */
  inProgress(): { upload_id: string; created: number | null }[] {
    return this.#statements
      .get<{ upload_id: string; created: number | null }>(
        `SELECT u.upload_id, c.created FROM _mf_multipart_uploads u
         LEFT JOIN _cellar_r2_uploads c ON c.upload_id = u.upload_id WHERE u.state = ${UploadState.inProgress}`,
      )
      .all();
  }

  /** The blob of part `partNumber`, if uploaded. */
  partBlobId(uploadId: string, partNumber: number): string | undefined {
    return this.#statements
      .get<{ blob_id: string }>("SELECT blob_id FROM _mf_multipart_parts WHERE upload_id = ? AND part_number = ?")
      .get(uploadId, partNumber)?.blob_id;
  }

  /** Inserts or replaces a part, with Miniflare's explicit column list. */
  putPart(part: NewPartRow): void {
    this.#statements
      .get(
        `INSERT OR REPLACE INTO _mf_multipart_parts (upload_id, part_number, blob_id, size, etag, checksum_md5)
         VALUES (:upload_id, :part_number, :blob_id, :size, :etag, :checksum_md5)`,
      )
      .run({ ...part });
  }

  /** Every part of an upload. */
  parts(uploadId: string): PartRecord[] {
    return this.#statements
      .get<PartRecord>("SELECT part_number, size, etag, checksum_md5 FROM _mf_multipart_parts WHERE upload_id = ?")
      .all(uploadId);
  }

  /** Links a part to the object it now belongs to. */
  linkPart(uploadId: string, partNumber: number, objectKey: string): void {
    this.#statements
      .get("UPDATE _mf_multipart_parts SET object_key = ? WHERE upload_id = ? AND part_number = ?")
      .run(objectKey, uploadId, partNumber);
  }

  /** Deletes an upload's parts that no object uses; returns their blob ids. */
  deleteUnlinkedParts(uploadId: string): string[] {
    return this.#statements
      .get<{ blob_id: string }>("DELETE FROM _mf_multipart_parts WHERE upload_id = ? AND object_key IS NULL RETURNING blob_id")
      .all(uploadId)
      .map((row) => row.blob_id);
  }
}
