import * as blobStore from "@cellar/blob-store";
import { describe, expect, it } from "vitest";
import { unlinkSyncWithRetry, unlinkWithRetry } from "../src/index.js";
import { deleteFiles } from "../src/delete-all.js";

const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: resource busy or locked`), { code });

describe("unlink retries", () => {
  it("are the shared @cellar/blob-store helpers, still exported from @cellar/durable-objects", () => {
    expect(unlinkWithRetry).toBe(blobStore.unlinkWithRetry);
    expect(unlinkSyncWithRetry).toBe(blobStore.unlinkSyncWithRetry);
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
