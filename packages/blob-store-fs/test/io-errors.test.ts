import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BlobStoreIoError } from "@cellar/blob-store";
import { createFsBlobStore } from "../src/index.ts";
import { useTempDirs } from "./temp-dir.ts";

describe("createFsBlobStore: errors", () => {
  const tempDir = useTempDirs();

  it("wraps file-system failures in BlobStoreIoError with the cause", async () => {
    const parent = await tempDir();
    const root = join(parent, "not-a-directory");
    await writeFile(root, "a file where the blob directory should be");
    const store = createFsBlobStore({ root });
    for (const body of ["bytes", new Blob(["stream"]).stream()]) {
      const error = await store.put(body).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(BlobStoreIoError);
      expect(error).toMatchObject({ code: "ERR_BLOB_STORE_IO" });
      expect((error as Error).cause).toMatchObject({ code: expect.stringMatching(/^(EEXIST|ENOTDIR)$/) });
    }
  });

  it("refuses bad options with a TypeError or RangeError", () => {
    expect(() => createFsBlobStore({ root: "" })).toThrow(TypeError);
    expect(() => createFsBlobStore(undefined as never)).toThrow(TypeError);
    expect(() => createFsBlobStore({ root: "x", durability: "fast" as never })).toThrow(TypeError);
    expect(() => createFsBlobStore({ root: "x", chunkSize: 0 })).toThrow(RangeError);
  });
});
