import { describe, expect, it, vi } from "vitest";
import type { BlobStore } from "@cellar/blob-store";
import { BlobReaper } from "../src/blob-reaper.js";

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
    const reaper = new BlobReaper(store, { warn: vi.fn() }, "ns");
    reaper.delete("a", "test");
    reaper.delete("b", "test");
    let idle = false;
    const waiting = reaper.idle().then(() => (idle = true));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(idle).toBe(false);
    releaseAll();
    await waiting;
    expect(deleted).toEqual(["a", "b"]);
  });

  it("makes writers wait once 64 deletes are pending, and lets one through per finished delete", async () => {
    const { store, releaseAll } = slowStore();
    const reaper = new BlobReaper(store, { warn: vi.fn() }, "ns");
    for (let i = 0; i < 63; i++) reaper.delete(`b${i}`, "test");
    expect(reaper.throttle()).toBeUndefined();
    reaper.delete("b63", "test");
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
    const reaper = new BlobReaper(store, { warn }, "ns");
    expect(() => reaper.delete("sync", "it was overwritten")).not.toThrow();
    reaper.delete("async", "its key was deleted");
    await reaper.idle();
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls.map((call) => call[0])).toEqual([
      'KV namespace "ns": could not delete blob sync after it was overwritten; the orphan sweep will remove it',
      'KV namespace "ns": could not delete blob async after its key was deleted; the orphan sweep will remove it',
    ]);
  });
});
