import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { namespaceBlobDirectory } from "@cellar/blob-store";
import { createFsBlobStore } from "@cellar/blob-store-fs";
import { objectDatabasePath, type SqlDatabase } from "@cellar/metadata-store";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";
import { createR2Bucket } from "@cellar/r2";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

/**
 * State shared with `wrangler dev` (on-disk-layout L1, L2, spec r2.md §4-5): the file and blob
 * paths, Miniflare's table shapes left untouched, and rows written by Miniflare read back.
 */

const SEVEN_DAYS = 7 * 24 * 3600_000;
let root: string;
let now: number;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "cellar-r2-layout-"));
  now = Date.UTC(2026, 0, 1);
});
afterEach(() => rm(root, { recursive: true, force: true }));

async function openPersisted(bucketName = "R2") {
  const location = objectDatabasePath(root, "r2", bucketName);
  await mkdir(dirname(location), { recursive: true });
  const metadata = createSqliteEngine().open(location);
  const blobDirectory = namespaceBlobDirectory(root, "r2", bucketName);
  const clock = { now: () => now };
  const bucket = createR2Bucket({ metadata, blobs: createFsBlobStore({ root: blobDirectory, clock }), clock, limits: { minPartSize: 1 } });
  return { bucket, metadata, location, blobDirectory };
}

/** `PRAGMA table_info` as `[name, type, notnull, dflt_value, pk]`. */
function columns(db: SqlDatabase, table: string): unknown[][] {
  return db.prepare<unknown[]>(`PRAGMA table_info(${table})`).raw().all().map((row) => row.slice(1));
}

describe("r2 on-disk layout", () => {
  it("keeps bucket R2 where wrangler dev does, in WAL mode with 4 KiB pages", async () => {
    const { bucket, metadata, location, blobDirectory } = await openPersisted();
    expect(location.replaceAll("\\", "/")).toMatch(/\/r2\/miniflare-R2BucketObject\/b4515922a10dd69008860d9d5bec41a711ea99c19a5a076251ca5ba63789faab\.sqlite$/);
    expect(blobDirectory.replaceAll("\\", "/")).toBe(`${root.replaceAll("\\", "/")}/r2/R2/blobs`);
    await bucket.put("photos/Holiday.JPG", "jpeg");
    const [file] = await readdir(blobDirectory);
    expect(file).toMatch(/^[0-9a-f]{80}-photos_047_holiday._j_p_g$/);
    expect(metadata.prepare("PRAGMA journal_mode").raw().get()).toEqual(["wal"]);
    expect(metadata.prepare("PRAGMA page_size").raw().get()).toEqual([4096]);
    metadata.close();
  });

  it("creates Miniflare's tables column for column, and keeps its own state in separate tables", async () => {
    const { bucket, metadata } = await openPersisted();
    const upload = await bucket.createMultipartUpload("m", { storageClass: "InfrequentAccess" });
    await upload.complete([await upload.uploadPart(1, "x")]);
    expect(columns(metadata, "_mf_objects")).toEqual([
      ["key", "TEXT", 0, null, 1],
      ["blob_id", "TEXT", 0, null, 0],
      ["version", "TEXT", 1, null, 0],
      ["size", "INTEGER", 1, null, 0],
      ["etag", "TEXT", 1, null, 0],
      ["uploaded", "INTEGER", 1, null, 0],
      ["checksums", "TEXT", 1, null, 0],
      ["http_metadata", "TEXT", 1, null, 0],
      ["custom_metadata", "TEXT", 1, null, 0],
    ]);
    expect(columns(metadata, "_mf_multipart_uploads")).toEqual([
      ["upload_id", "TEXT", 0, null, 1],
      ["key", "TEXT", 1, null, 0],
      ["http_metadata", "TEXT", 1, null, 0],
      ["custom_metadata", "TEXT", 1, null, 0],
      ["state", "TINYINT", 1, "0", 0],
    ]);
    expect(columns(metadata, "_mf_multipart_parts")).toEqual([
      ["upload_id", "TEXT", 1, null, 1],
      ["part_number", "INTEGER", 1, null, 2],
      ["blob_id", "TEXT", 1, null, 0],
      ["size", "INTEGER", 1, null, 0],
      ["etag", "TEXT", 1, null, 0],
      ["checksum_md5", "TEXT", 1, null, 0],
      ["object_key", "TEXT", 0, null, 0],
    ]);
    const foreignKeys = metadata.prepare("PRAGMA foreign_key_list(_mf_multipart_parts)").all() as { table: string; from: string; to: string }[];
    expect(foreignKeys.map(({ table, from, to }) => [table, from, to]).sort()).toEqual([
      ["_mf_multipart_uploads", "upload_id", "upload_id"],
      ["_mf_objects", "object_key", "key"],
    ]);
    const tables = metadata.prepare<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all().map((row) => row.name);
    expect(tables).toEqual(["_cellar_r2_objects", "_cellar_r2_uploads", "_mf_multipart_parts", "_mf_multipart_uploads", "_mf_objects"]);
    const indexes = metadata.prepare<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name LIKE '\\_mf\\_%' ESCAPE '\\'").all();
    expect(indexes.every((index) => index.name.startsWith("sqlite_autoindex_"))).toBe(true);
    metadata.close();
  });

  it("reads objects and completes uploads that wrangler dev wrote, with Miniflare's random part etags", async () => {
    const { metadata, blobDirectory } = await openPersisted();
    metadata.close();
    // What Miniflare 4 leaves behind: an 80-hex blob id, checksums without md5, an upload with
    // a random 171-character part etag, and no cellar side rows.
    const blobId = randomBytes(32).toString("hex") + "000001a2006a50ed";
    const partBlobId = randomBytes(32).toString("hex") + "000001a2006a50ee";
    await mkdir(blobDirectory, { recursive: true });
    await writeFile(join(blobDirectory, blobId), "from wrangler");
    await writeFile(join(blobDirectory, partBlobId), "part from wrangler");
    const db = createSqliteEngine().open(objectDatabasePath(root, "r2", "R2"));
    const partEtag = randomBytes(128).toString("base64url");
    db.exec(`
      INSERT OR REPLACE INTO _mf_objects (key, blob_id, version, size, etag, uploaded, checksums, http_metadata, custom_metadata)
      VALUES ('w', '${blobId}', '${"a".repeat(32)}', 13, 'e7a1a1cb7ce0bb4a1d3b82c8d4a1d4c0', 1795303297261, '{}', '{"contentType":"text/plain"}', '{"by":"wrangler"}');
      INSERT INTO _mf_multipart_uploads (upload_id, key, http_metadata, custom_metadata) VALUES ('up', 'mp', '{}', '{}');
      INSERT INTO _mf_multipart_parts (upload_id, part_number, blob_id, size, etag, checksum_md5)
      VALUES ('up', 1, '${partBlobId}', 18, '${partEtag}', '${"0".repeat(32)}');
    `);
    db.close();
    const { bucket, metadata: bucketMetadata } = await openPersisted();
    const object = await bucket.get("w");
    expect(await object!.text()).toBe("from wrangler");
    expect(object).toMatchObject({ httpMetadata: { contentType: "text/plain" }, customMetadata: { by: "wrangler" }, storageClass: "Standard" });
    expect(object!.checksums.toJSON()).toEqual({ md5: "e7a1a1cb7ce0bb4a1d3b82c8d4a1d4c0" });
    const completed = await bucket.resumeMultipartUpload("mp", "up").complete([{ partNumber: 1, etag: partEtag }]);
    expect(completed.size).toBe(18);
    expect(await (await bucket.get("mp"))!.text()).toBe("part from wrangler");
    bucketMetadata.close();
  });

  it("starts the expiry clock of an upload wrangler dev made when it is first seen (R5)", async () => {
    const { metadata } = await openPersisted();
    metadata.exec("INSERT INTO _mf_multipart_uploads (upload_id, key, http_metadata, custom_metadata) VALUES ('up', 'k', '{}', '{}')");
    const { bucket, metadata: bucketMetadata } = await openPersisted();
    expect(await bucket.expireMultipartUploads()).toBe(0);
    now += SEVEN_DAYS - 1;
    expect(await bucket.expireMultipartUploads()).toBe(0);
    now += 1;
    expect(await bucket.expireMultipartUploads()).toBe(1);
    expect(metadata.prepare("SELECT state FROM _mf_multipart_uploads").raw().get()).toEqual([2]);
    metadata.close();
    bucketMetadata.close();
  });

  it("forgets a storage class once wrangler dev overwrites the object (the side row is keyed by version)", async () => {
    const { bucket, metadata } = await openPersisted();
    await bucket.put("cold", "v", { storageClass: "InfrequentAccess" });
    expect((await bucket.head("cold"))!.storageClass).toBe("InfrequentAccess");
    metadata.exec(`UPDATE _mf_objects SET version = '${"b".repeat(32)}' WHERE key = 'cold'`);
    expect((await bucket.head("cold"))!.storageClass).toBe("Standard");
    const sideRows = () => metadata.prepare<[number]>("SELECT count(*) FROM _cellar_r2_objects").raw().get()![0];
    expect(sideRows()).toBe(1);
    await bucket.sweep();
    expect(sideRows(), "the sweep drops side rows that no longer apply").toBe(0);
    metadata.close();
  });
});
