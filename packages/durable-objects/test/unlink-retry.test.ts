import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { unlinkWithRetry } from "../src/index.js";
import { deleteFiles } from "../src/delete-all.js";

const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: resource busy or locked`), { code });

/** A fake clock whose sleep advances it, and an unlink that fails with `codes` in turn, then succeeds. */
function fake(codes: string[]) {
  let now = 0;
  const calls: number[] = [];
  const sleeps: number[] = [];
  return {
    calls,
    sleeps,
    options: {
      now: () => now,
      sleep: async (ms: number) => {
        sleeps.push(ms);
        now += ms;
      },
      unlink: async (_path: string) => {
        calls.push(now);
        const code = codes.shift();
        if (code !== undefined) throw errno(code);
      },
    },
  };
}

describe("unlinkWithRetry", () => {
  it("retries EBUSY and EPERM every 50 ms until the file goes", async () => {
    const f = fake(["EBUSY", "EPERM", "EBUSY"]);
    await unlinkWithRetry("x.sqlite", f.options);
    expect(f.calls).toEqual([0, 50, 100, 150]);
    expect(f.sleeps).toEqual([50, 50, 50]);
  });

  it("gives up after 2 s of EBUSY with the last error", async () => {
    const f = fake(Array.from({ length: 1000 }, () => "EBUSY"));
    await expect(unlinkWithRetry("x.sqlite", f.options)).rejects.toMatchObject({ code: "EBUSY" });
    expect(f.calls.length).toBe(41); // at 0, 50, …, 2000
    expect(f.calls.at(-1)).toBe(2000);
  });

  it("treats a missing file as deleted and throws other errors at once", async () => {
    const missing = fake(["ENOENT"]);
    await unlinkWithRetry("x.sqlite", missing.options);
    expect(missing.calls).toEqual([0]);
    const denied = fake(["EACCES", "EACCES"]);
    await expect(unlinkWithRetry("x.sqlite", denied.options)).rejects.toMatchObject({ code: "EACCES" });
    expect(denied.calls).toEqual([0]);
  });

  it("deletes real files with the default unlink", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cellar-unlink-"));
    try {
      await writeFile(join(dir, "a.sqlite"), "x");
      await unlinkWithRetry(join(dir, "a.sqlite"));
      await unlinkWithRetry(join(dir, "never-existed.sqlite"));
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("deleteFiles", () => {
  it("deletes every file it can and names the ones left in one AggregateError", async () => {
    let now = 0;
    const deleted: string[] = [];
    const options = {
      now: () => now,
      sleep: async (ms: number) => void (now += ms),
      unlink: async (path: string) => {
        if (path.startsWith("locked")) throw errno("EBUSY");
        deleted.push(path);
      },
    };
    const error = await deleteFiles(["a.sqlite", "locked-1.sqlite", "b.sqlite-wal", "locked-2.sqlite-shm"], options).catch((e: unknown) => e);
    expect(deleted).toEqual(["a.sqlite", "b.sqlite-wal"]);
    expect(error).toBeInstanceOf(AggregateError);
    expect((error as AggregateError).message).toContain("locked-1.sqlite, locked-2.sqlite-shm");
    expect((error as AggregateError).errors.map((e: Error) => e.message)).toEqual([
      expect.stringContaining("Cannot delete locked-1.sqlite: EBUSY"),
      expect.stringContaining("Cannot delete locked-2.sqlite-shm: EBUSY"),
    ]);
  });
});
