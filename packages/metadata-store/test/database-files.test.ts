import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { assertDatabaseDirectory, removeDatabaseFiles } from "../src/database-files.js";
import type { SqlError } from "../src/errors.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "cellar-files-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("removeDatabaseFiles", () => {
  it("deletes the file and its -wal, -shm and -journal companions, and tolerates missing ones", () => {
    const file = join(dir, "db.sqlite");
    for (const suffix of ["", "-wal", "-shm"]) writeFileSync(file + suffix, "x");
    writeFileSync(join(dir, "extra"), "x");
    removeDatabaseFiles(file, [join(dir, "extra")]);
    for (const suffix of ["", "-wal", "-shm", "-journal"]) expect(existsSync(file + suffix)).toBe(false);
    expect(existsSync(join(dir, "extra"))).toBe(false);
    expect(() => removeDatabaseFiles(file)).not.toThrow();
    expect(() => removeDatabaseFiles(":memory:")).not.toThrow();
  });
});

describe("assertDatabaseDirectory", () => {
  it("accepts a file in an existing directory and rejects a missing one with ERR_SQL_IO", () => {
    expect(() => assertDatabaseDirectory(join(dir, "db.sqlite"))).not.toThrow();
    let error: unknown;
    try {
      assertDatabaseDirectory(join(dir, "missing", "db.sqlite"));
    } catch (caught) {
      error = caught;
    }
    expect((error as SqlError).code).toBe("ERR_SQL_IO");
    expect((error as Error).message).toContain("does not exist");
  });

  it("rejects a path whose parent is a file", () => {
    writeFileSync(join(dir, "plain"), "x");
    expect(() => assertDatabaseDirectory(join(dir, "plain", "db.sqlite"))).toThrow(/not a directory/);
  });
});
