import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SqlError } from "@cellar/metadata-store";
import { markLegacy, markWal, readDatabaseImage, writeImageAtomically, writeImageAtomicallySync } from "../src/file-image.js";
import { thrown } from "./thrown.ts";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "cellar-image-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function header(format: number): Uint8Array {
  const image = new Uint8Array(4096);
  image.set(new TextEncoder().encode("SQLite format 3\0"));
  image[18] = format;
  image[19] = format;
  return image;
}

describe("header format bytes", () => {
  it("markWal sets bytes 18 and 19 to 2; markLegacy turns 2 back into 1", () => {
    const image = markWal(header(1));
    expect([image[18], image[19]]).toEqual([2, 2]);
    expect([...markLegacy(image).subarray(18, 20)]).toEqual([1, 1]);
    expect(markWal(new Uint8Array(0))).toHaveLength(0);
  });
});

describe("readDatabaseImage", () => {
  it("returns undefined for a missing file and the image, as rollback-journal mode, for a WAL file", () => {
    const file = join(dir, "db.sqlite");
    expect(readDatabaseImage(file)).toBeUndefined();
    writeFileSync(file, header(2));
    expect(readDatabaseImage(file)?.[18]).toBe(1);
  });

  it("refuses a file with a non-empty -wal, and accepts an empty one", () => {
    const file = join(dir, "db.sqlite");
    writeFileSync(file, header(2));
    writeFileSync(`${file}-wal`, "");
    expect(readDatabaseImage(file)).toBeDefined();
    writeFileSync(`${file}-wal`, "pending frames");
    const error = thrown(() => readDatabaseImage(file));
    expect(error.code).toBe("ERR_SQL_WAL_PRESENT");
    expect(error.message).toContain(`db.sqlite-wal`);
  });

  it("refuses a hot rollback journal, and ignores a zeroed one", () => {
    const file = join(dir, "db.sqlite");
    writeFileSync(file, header(1));
    writeFileSync(`${file}-journal`, new Uint8Array(512));
    expect(readDatabaseImage(file)).toBeDefined();
    writeFileSync(`${file}-journal`, Buffer.concat([Buffer.from([0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7]), Buffer.alloc(504)]));
    expect(thrown(() => readDatabaseImage(file)).code).toBe("ERR_SQL_WAL_PRESENT");
  });
});

describe("atomic writes", () => {
  it("replace the file and leave no temporary file behind", async () => {
    const file = join(dir, "db.sqlite");
    writeFileSync(file, "old");
    expect(await writeImageAtomically(file, new Uint8Array([1, 2]), true, () => true)).toBe(true);
    expect([...readFileSync(file)]).toEqual([1, 2]);
    writeImageAtomicallySync(file, new Uint8Array([3]), true);
    expect([...readFileSync(file)]).toEqual([3]);
    expect(readdirSync(dir)).toEqual(["db.sqlite"]);
  });

  it("discard the new image when told not to commit", async () => {
    const file = join(dir, "db.sqlite");
    writeFileSync(file, "kept");
    expect(await writeImageAtomically(file, new Uint8Array([1]), false, () => false)).toBe(false);
    expect(readFileSync(file, "utf8")).toBe("kept");
    expect(readdirSync(dir)).toEqual(["db.sqlite"]);
  });

  it("report a missing directory as ERR_SQL_IO", async () => {
    const file = join(dir, "missing", "db.sqlite");
    await expect(writeImageAtomically(file, new Uint8Array([1]), false, () => true)).rejects.toMatchObject({ code: "ERR_SQL_IO" });
    expect(thrown(() => writeImageAtomicallySync(file, new Uint8Array([1]), false)).code).toBe("ERR_SQL_IO");
    expect(existsSync(join(dir, "missing"))).toBe(false);
  });
});
