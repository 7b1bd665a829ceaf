import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createBlobId, type Clock } from "@cellar/blob-store";
import { PARTIAL_WRITE_PREFIX, createFsBlobStore, fsBlobStoreCapabilities } from "@cellar/blob-store-fs";
import { describeBlobStore, type BlobStoreFixture } from "@cellar/conformance";

/**
 * A fresh temp directory per test. The store's root is a not-yet-existing `blobs` directory
 * inside it, as under a persist root, so the first write also proves the root gets created.
 */
async function createFsFixture(
  clock: Clock,
  durability: "normal" | "strict",
  syncMaxBytes?: number,
): Promise<BlobStoreFixture> {
  const dir = await mkdtemp(join(tmpdir(), "cellar-blob-fs-"));
  const root = join(dir, "blobs");
  const open = () => createFsBlobStore({ root, clock, durability, syncWriteMaxBytes: syncMaxBytes, syncReadMaxBytes: syncMaxBytes });
  return {
    store: open(),
    reopen: async () => open(),
    cleanup: () => rm(dir, { recursive: true, force: true }),
    inspect: {
      async rawBlob(id) {
        try {
          return Uint8Array.from(await readFile(join(root, id)));
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
          throw error;
        }
      },
      async createPartialWrite(ageMs) {
        await mkdir(root, { recursive: true });
        const id = createBlobId({ now: clock.now() - ageMs, userId: "crashed" });
        await writeFile(join(root, `${PARTIAL_WRITE_PREFIX}${id}`), "half a value", { mode: 0o444 });
      },
      async countEntries() {
        return (await readdir(root).catch(() => [])).length;
      },
    },
  };
}

describeBlobStore({
  name: "blob-store-fs",
  capabilities: fsBlobStoreCapabilities,
  create: ({ clock }) => createFsFixture(clock, "normal"),
});

describeBlobStore({
  name: "blob-store-fs (strict durability)",
  capabilities: fsBlobStoreCapabilities,
  create: ({ clock }) => createFsFixture(clock, "strict"),
});

// Small bodies normally take the synchronous write and read paths; this run sends every write
// and read through the asynchronous ones, so both keep passing the whole suite.
describeBlobStore({
  name: "blob-store-fs (no synchronous small-blob paths)",
  capabilities: fsBlobStoreCapabilities,
  create: ({ clock }) => createFsFixture(clock, "normal", 0),
});
