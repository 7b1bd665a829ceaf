import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GroupCommit, type PersistSource } from "../src/group-commit.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "cellar-group-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A source whose "database" is a counter; each image is the version it was taken at. */
function source(path: string): PersistSource & { version: number; busy: boolean; writes: number[] } {
  const state = {
    path,
    durable: false,
    version: 0,
    busy: false,
    writes: [] as number[],
    isBusy: () => state.busy,
    snapshot: () => new TextEncoder().encode(String(state.version)),
    written: () => void state.writes.push(state.version),
  };
  return state;
}

const onDisk = (path: string): string => readFileSync(path, "utf8");

describe("GroupCommit", () => {
  it("writes nothing when nothing changed", async () => {
    const src = source(join(dir, "f"));
    const commit = new GroupCommit(src, 0);
    await commit.flush();
    expect(src.writes).toEqual([]);
  });

  it("coalesces flushes issued together into one write", async () => {
    const file = join(dir, "f");
    const src = source(file);
    const commit = new GroupCommit(src, 0);
    src.version = 3;
    await Promise.all(Array.from({ length: 20 }, () => commit.flush()));
    expect(src.writes).toHaveLength(1);
    expect(onDisk(file)).toBe("3");
  });

  it("runs at most one write and queues one more for flushes the running write does not cover", async () => {
    const file = join(dir, "f");
    const src = source(file);
    const commit = new GroupCommit(src, 0);
    src.version = 1;
    const first = commit.flush();
    await new Promise((resolve) => setImmediate(resolve)); // the first write has taken its snapshot
    const later: Promise<void>[] = [];
    for (let v = 2; v <= 10; v++) {
      src.version = v;
      later.push(commit.flush());
    }
    await Promise.all([first, ...later]);
    expect(src.writes).toHaveLength(2);
    expect(onDisk(file)).toBe("10");
  });

  it("waits while the source is busy (a transaction is open) and writes once poked", async () => {
    const file = join(dir, "f");
    const src = source(file);
    const commit = new GroupCommit(src, 0);
    src.version = 1;
    src.busy = true;
    let done = false;
    const flushed = commit.flush().then(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(done).toBe(false);
    expect(commit.waiting).toBe(true);
    commit.poke(); // still busy: nothing happens
    expect(commit.waiting).toBe(true);
    src.busy = false;
    commit.poke();
    await flushed;
    expect(onDisk(file)).toBe("1");
  });

  it("closeSync writes the latest version; an older in-flight write is discarded and its flush resolves", async () => {
    const file = join(dir, "f");
    const src = source(file);
    const commit = new GroupCommit(src, 0);
    src.version = 1;
    const inFlight = commit.flush();
    await Promise.resolve();
    src.version = 2;
    commit.closeSync();
    await inFlight;
    expect(onDisk(file)).toBe("2");
  });

  it("a failed final write rejects pending flushes with its error", async () => {
    const file = join(dir, "missing", "f");
    const src = source(file);
    const commit = new GroupCommit(src, 0);
    src.version = 1;
    src.busy = true;
    const pending = commit.flush();
    await new Promise((resolve) => setTimeout(resolve, 5));
    src.busy = false;
    expect(() => commit.closeSync()).toThrow();
    await expect(pending).rejects.toMatchObject({ code: "ERR_SQL_IO" });
  });
});
