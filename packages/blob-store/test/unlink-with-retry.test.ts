import { chmod, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { unlinkSyncWithRetry, unlinkWithRetry } from "../src/index.ts";

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
    await expect(unlinkWithRetry("x.sqlite", f.options)).resolves.toBe(true);
    expect(f.calls).toEqual([0, 50, 100, 150]);
    expect(f.sleeps).toEqual([50, 50, 50]);
  });

  it("gives up after 2 s of EBUSY with the last error", async () => {
    const f = fake(Array.from({ length: 1000 }, () => "EBUSY"));
    await expect(unlinkWithRetry("x.sqlite", f.options)).rejects.toMatchObject({ code: "EBUSY" });
    expect(f.calls.length).toBe(41); // at 0, 50, …, 2000
    expect(f.calls.at(-1)).toBe(2000);
  });

  it("treats a missing file as not deleted and throws other errors at once", async () => {
    const missing = fake(["ENOENT"]);
    await expect(unlinkWithRetry("x.sqlite", missing.options)).resolves.toBe(false);
    expect(missing.calls).toEqual([0]);
    const denied = fake(["EACCES", "EACCES"]);
    await expect(unlinkWithRetry("x.sqlite", denied.options)).rejects.toMatchObject({ code: "EACCES" });
    expect(denied.calls).toEqual([0]);
  });

  it("deletes real files with the default unlink", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cellar-unlink-"));
    try {
      await writeFile(join(dir, "a.sqlite"), "x");
      await chmod(join(dir, "a.sqlite"), 0o444);
      await expect(unlinkWithRetry(join(dir, "a.sqlite"))).resolves.toBe(true);
      await expect(unlinkWithRetry(join(dir, "never-existed.sqlite"))).resolves.toBe(false);
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("unlinkWithRetry with makeWritable (read-only files on Windows)", () => {
  it("makes the file writable on the first EPERM and retries at once", async () => {
    const f = fake(["EPERM"]);
    const madeWritable: string[] = [];
    const options = { ...f.options, makeWritable: async (path: string) => void madeWritable.push(path) };
    await expect(unlinkWithRetry("blob", options)).resolves.toBe(true);
    expect(madeWritable).toEqual(["blob"]);
    expect(f.calls).toEqual([0, 0]);
  });

  it("only once: a file still refused is retried as busy", async () => {
    const f = fake(["EPERM", "EPERM", "EPERM"]);
    let made = 0;
    const options = { ...f.options, makeWritable: async () => void made++ };
    await expect(unlinkWithRetry("blob", options)).resolves.toBe(true);
    expect(made).toBe(1);
    expect(f.calls).toEqual([0, 0, 50, 100]);
  });

  it("counts a file that vanished meanwhile as not deleted", async () => {
    const f = fake(["EPERM"]);
    const options = { ...f.options, makeWritable: async () => Promise.reject(errno("ENOENT")) };
    await expect(unlinkWithRetry("blob", options)).resolves.toBe(false);
    expect(f.calls).toEqual([0]);
  });

  it("retries EPERM as busy when the file cannot be made writable", async () => {
    const f = fake(["EPERM"]);
    const options = { ...f.options, makeWritable: async () => Promise.reject(errno("EACCES")) };
    await expect(unlinkWithRetry("blob", options)).resolves.toBe(true);
    expect(f.calls).toEqual([0, 50]);
  });
});

describe("unlinkSyncWithRetry", () => {
  it("retries EBUSY/EPERM every 50 ms for up to 2 s, ignores a missing file, throws other errors at once", () => {
    let now = 0;
    const sleeps: number[] = [];
    const codes = ["EBUSY", "EPERM"];
    const options = {
      now: () => now,
      sleep: (ms: number) => {
        sleeps.push(ms);
        now += ms;
      },
    };
    expect(unlinkSyncWithRetry("x", { ...options, unlink: () => { const code = codes.shift(); if (code !== undefined) throw errno(code); } })).toBe(true);
    expect(sleeps).toEqual([50, 50]);
    expect(unlinkSyncWithRetry("x", { ...options, unlink: () => { throw errno("ENOENT"); } })).toBe(false);
    expect(() => unlinkSyncWithRetry("x", { ...options, unlink: () => { throw errno("EACCES"); } })).toThrow(/EACCES/);
    now = 0;
    expect(() => unlinkSyncWithRetry("x", { ...options, unlink: () => { throw errno("EBUSY"); } })).toThrow(/EBUSY/);
    expect(now).toBe(2_000);
  });

  it("blocks for real with the default sleep", () => {
    const codes = ["EBUSY"];
    const started = performance.now();
    unlinkSyncWithRetry("x", { unlink: () => { const code = codes.shift(); if (code !== undefined) throw errno(code); } });
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
  });
});
