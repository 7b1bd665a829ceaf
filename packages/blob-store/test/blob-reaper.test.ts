import { describe, expect, it, vi } from "vitest";
import type { BlobStore } from "../src/index.ts";
import { BlobReaper } from "../src/index.ts";

/** A store whose deletes wait until released, recording what was deleted. */
function slowStore() {
  const deleted: string[] = [];
  const waiting: (() => void)[] = [];
  const store = {
    delete: (id: string) =>
      new Promise<void>((resolve) =>
        waiting.push(() => {
          deleted.push(id);
          resolve();
        }),
      ),
  } as unknown as BlobStore;
  return { store, deleted, releaseAll: () => waiting.splice(0).forEach((release) => release()) };
}

describe("BlobReaper", () => {
  it("deletes in the background and settles idle() once all deletes are done", async () => {
    const { store, deleted, releaseAll } = slowStore();
    const reaper = new BlobReaper({ owner: 'KV namespace "ns"', logger: { warn: vi.fn() } });
    reaper.delete(store, "a", "test");
    reaper.delete(store, "b", "test");
    let idle = false;
    const waiting = reaper.idle().then(() => (idle = true));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(idle).toBe(false);
    releaseAll();
    await waiting;
    expect(deleted).toEqual(["a", "b"]);
  });

  it("deletes every id of a list", async () => {
    const { store, deleted, releaseAll } = slowStore();
    const reaper = new BlobReaper({ owner: "test", logger: { warn: vi.fn() } });
    reaper.delete(store, ["x", "y", "z"], "test");
    // Deletes start on a later microtask (so a throwing store cannot fail the caller).
    await new Promise((resolve) => setTimeout(resolve, 0));
    releaseAll();
    await reaper.idle();
    expect(deleted).toEqual(["x", "y", "z"]);
  });

  it("makes writers wait once 64 deletes are pending, and lets one through per finished delete", async () => {
    const { store, releaseAll } = slowStore();
    const reaper = new BlobReaper({ owner: 'KV namespace "ns"', logger: { warn: vi.fn() } });
    for (let i = 0; i < 63; i++) reaper.delete(store, `b${i}`, "test");
    expect(reaper.throttle()).toBeUndefined();
    reaper.delete(store, "b63", "test");
    const throttled = reaper.throttle();
    expect(throttled).toBeInstanceOf(Promise);
    await new Promise((resolve) => setTimeout(resolve, 0));
    releaseAll();
    await expect(throttled).resolves.toBeUndefined();
  });

  it("logs failed deletes, synchronous throws included, and never rejects", async () => {
    const warn = vi.fn();
    const store = {
      delete(id: string) {
        if (id === "sync") throw new Error("sync failure");
        return Promise.reject(new Error("async failure"));
      },
    } as unknown as BlobStore;
    const reaper = new BlobReaper({ owner: 'KV namespace "ns"', logger: { warn } });
    expect(() => reaper.delete(store, "sync", "it was overwritten")).not.toThrow();
    reaper.delete(store, "async", "its key was deleted");
    await reaper.idle();
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls.map((call) => call[0])).toEqual([
      'KV namespace "ns": could not delete blob sync after it was overwritten; the orphan sweep will remove it',
      'KV namespace "ns": could not delete blob async after its key was deleted; the orphan sweep will remove it',
    ]);
  });
});
