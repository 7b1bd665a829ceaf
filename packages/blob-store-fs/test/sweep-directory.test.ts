import { mkdir, readdir, symlink, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createBlobId } from "@cellar/blob-store";
import { PARTIAL_WRITE_PREFIX, createFsBlobStore } from "../src/index.ts";
import { useTempDirs } from "./temp-dir.ts";

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.UTC(2026, 5, 1);
const clock = { now: () => NOW };
const everything = { olderThan: NOW, isReferenced: () => false };

async function backdate(path: string, time: number): Promise<void> {
  await utimes(path, new Date(time), new Date(time));
}

describe("createFsBlobStore: sweep on disk", () => {
  const tempDir = useTempDirs();

  it("leaves alone what is not a blob or a partial write: other dotfiles, odd names, directories, symlinks", async () => {
    const parent = await tempDir();
    const root = join(parent, "blobs");
    await mkdir(join(root, createBlobId({ now: 0 })), { recursive: true });
    const outside = join(parent, "outside.txt");
    await writeFile(outside, "outside");
    await writeFile(join(root, ".DS_Store"), "finder");
    await writeFile(join(root, "not a blob id"), "odd");
    await writeFile(join(root, "trailing."), "odd");
    const linked = createBlobId({ now: 0 });
    await symlink(outside, join(root, linked));
    await symlink(outside, join(root, `${PARTIAL_WRITE_PREFIX}${createBlobId({ now: 0 })}`));
    for (const name of await readdir(root)) await backdate(join(root, name), 0).catch(() => {});
    const before = (await readdir(root)).sort();
    const store = createFsBlobStore({ root, clock });
    expect(await store.sweep(everything)).toEqual({ deletedBlobs: 0, deletedPartials: 0, freedBytes: 0 });
    expect((await readdir(root)).sort()).toEqual(before);
    expect(await readdir(parent)).toContain("outside.txt");
  });

  it("ages ids without a time, and partial writes without a parseable id, by mtime", async () => {
    const root = join(await tempDir(), "blobs");
    await mkdir(root);
    await writeFile(join(root, "old-legacy"), "12345");
    await backdate(join(root, "old-legacy"), NOW - 2 * DAY);
    await writeFile(join(root, "new-legacy"), "123");
    await backdate(join(root, "new-legacy"), NOW + DAY);
    await writeFile(join(root, `${PARTIAL_WRITE_PREFIX}garbled`), "1234567");
    await backdate(join(root, `${PARTIAL_WRITE_PREFIX}garbled`), NOW - 2 * DAY);
    const store = createFsBlobStore({ root, clock });
    expect(await store.sweep({ olderThan: NOW - DAY, isReferenced: () => false })).toEqual({
      deletedBlobs: 1,
      deletedPartials: 1,
      freedBytes: 12,
    });
    expect(await readdir(root)).toEqual(["new-legacy"]);
  });

  it("prefers the time in the id to the file's mtime", async () => {
    const root = join(await tempDir(), "blobs");
    const store = createFsBlobStore({ root, clock });
    const young = await store.put("young by id");
    await backdate(join(root, young), 0);
    const oldId = createBlobId({ now: NOW - 2 * DAY });
    await writeFile(join(root, oldId), "old by id");
    expect(await store.sweep({ olderThan: NOW - DAY, isReferenced: () => false })).toEqual({
      deletedBlobs: 1,
      deletedPartials: 0,
      freedBytes: 9,
    });
    expect(await readdir(root)).toEqual([young]);
  });

  it("never sweeps a partial write this process is still writing", async () => {
    const root = join(await tempDir(), "blobs");
    const store = createFsBlobStore({ root, clock });
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let sent = 0;
    const put = store.put(
      new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (sent++ === 0) return controller.enqueue(new Uint8Array(10));
          await released;
          controller.close();
        },
      }),
    );
    while ((await readdir(root).catch(() => [])).length === 0) await new Promise((resolve) => setTimeout(resolve, 2));
    expect(await store.sweep({ olderThan: Number.MAX_SAFE_INTEGER, isReferenced: () => true })).toEqual({
      deletedBlobs: 0,
      deletedPartials: 0,
      freedBytes: 0,
    });
    release();
    const id = await put;
    expect(await store.getBytes(id)).toEqual(new Uint8Array(10));
  });
});
