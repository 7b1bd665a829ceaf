/**
 * Miniflare 4's schema for an R2 bucket, column for column (spec r2.md §4, on-disk-layout L1),
 * so `wrangler dev` and cellar read each other's files. These tables are never altered (L2):
 * rows are always written with explicit column lists, as Miniflare writes them.
 */
export const R2_SCHEMA = `
CREATE TABLE IF NOT EXISTS _mf_objects (
    key TEXT PRIMARY KEY,
    blob_id TEXT,
    version TEXT NOT NULL,
    size INTEGER NOT NULL,
    etag TEXT NOT NULL,
    uploaded INTEGER NOT NULL,
    checksums TEXT NOT NULL,
    http_metadata TEXT NOT NULL,
    custom_metadata TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS _mf_multipart_uploads (
    upload_id TEXT PRIMARY KEY,
    key TEXT NOT NULL,
    http_metadata TEXT NOT NULL,
    custom_metadata TEXT NOT NULL,
    state TINYINT DEFAULT 0 NOT NULL
);
CREATE TABLE IF NOT EXISTS _mf_multipart_parts (
    upload_id TEXT NOT NULL REFERENCES _mf_multipart_uploads(upload_id),
    part_number INTEGER NOT NULL,
    blob_id TEXT NOT NULL,
    size INTEGER NOT NULL,
    etag TEXT NOT NULL,
    checksum_md5 TEXT NOT NULL,
    object_key TEXT REFERENCES _mf_objects(key) DEFERRABLE INITIALLY DEFERRED,
    PRIMARY KEY (upload_id, part_number)
);
`;

/**
 * cellar's own state, beside Miniflare's tables and never inside them (L2, spec R4/R5): an
 * object's storage class keyed by `(key, version)`, and an upload's creation time and storage
 * class keyed by `upload_id`. A missing row means the defaults (`Standard`; an upload's clock
 * starts when cellar first sees it). Keying objects by version means a row left behind when
 * `wrangler dev` overwrites the object simply stops applying.
 */
export const CELLAR_R2_SCHEMA = `
CREATE TABLE IF NOT EXISTS _cellar_r2_objects (
    key TEXT NOT NULL,
    version TEXT NOT NULL,
    storage_class TEXT NOT NULL,
    PRIMARY KEY (key, version)
);
CREATE TABLE IF NOT EXISTS _cellar_r2_uploads (
    upload_id TEXT PRIMARY KEY,
    created INTEGER NOT NULL,
    storage_class TEXT NOT NULL
);
`;

/** `_mf_multipart_uploads.state` values. */
export const UploadState = Object.freeze({ inProgress: 0, completed: 1, aborted: 2 } as const);

/** The storage class a missing side-table row stands for. */
export const DEFAULT_STORAGE_CLASS = "Standard";
