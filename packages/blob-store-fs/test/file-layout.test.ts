import { mkdir, readdir, rm, stat, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { encodeUserId, readAll } from "@cellar/blob-store";
import { PARTIAL_WRITE_PREFIX, createFsBlobStore } from "../src/index.ts";
import { useTempDirs } from "./temp-dir.ts";

const MINIFLARE_ID = "c58a2a9b2c655341d6a56d22a7d165b48adbff914f9102f75588039999eb47c1000001a2006a50ed";

describe("createFsBlobStore: files on disk", () => {
  const tempDir = useTempDirs();

  it.skipIf(process.platform === "win32")("writes read-only files (mode 0444)", async () => {
    const root = join(await tempDir(), "blobs");
    const store = createFsBlobStore({ root });
    const fromBytes = await store.put("bytes");
    const fromStream = await store.put(new Blob(["stream"]).stream());
    for (const id of [fromBytes, fromStream]) expect((await stat(join(root, id))).mode & 0o777).toBe(0o444);
  });

  it("names each file by its id, which shows the encoded user id", async () => {
    const root = join(await tempDir(), "blobs");
    const store = createFsBlobStore({ root });
    const id = await store.put("a photo", { userId: "Holiday/photo.JPG" });
    expect(await readdir(root)).toEqual([id]);
    expect(id).toMatch(/^[0-9a-f]{80}-_holiday_047photo\._j_p_g$/);
    expect(id.endsWith(`-${encodeUserId("Holiday/photo.JPG")}`)).toBe(true);
  });

  it("creates the root with its parents on the first write, and not on reads", async () => {
    const root = join(await tempDir(), "kv", "my namespace", "blobs");
    const store = createFsBlobStore({ root });
    expect(await store.get(MINIFLARE_ID)).toBeNull();
    expect(await store.sweep({ olderThan: Date.now(), isReferenced: () => false })).toEqual({ deletedBlobs: 0, deletedPartials: 0, freedBytes: 0 });
    await expect(stat(root)).rejects.toMatchObject({ code: "ENOENT" });
    const id = await store.put("first");
    expect(await readdir(root)).toEqual([id]);
  });

  it("recreates the root when it was removed behind its back", async () => {
    const root = join(await tempDir(), "blobs");
    const store = createFsBlobStore({ root });
    await store.put("before");
    await rm(root, { recursive: true });
    const fromBytes = await store.put("after");
    expect(await store.getBytes(fromBytes)).toEqual(new TextEncoder().encode("after"));
    await rm(root, { recursive: true });
    const fromStream = await store.put(new Blob(["streamed after"]).stream());
    expect(await store.getBytes(fromStream)).toEqual(new TextEncoder().encode("streamed after"));
  });

  it("writes into a dotfile and renames it: readers never see a partial blob", async () => {
    const root = join(await tempDir(), "blobs");
    const store = createFsBlobStore({ root });
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (sent === 1) await released;
        if (sent++ < 2) controller.enqueue(new Uint8Array(1000).fill(sent));
        else controller.close();
      },
    });
    const put = store.put(body, { userId: "slow" });
    let during: string[] = [];
    for (let attempt = 0; attempt < 200 && during.length === 0; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      during = await readdir(root).catch(() => []);
    }
    expect(during).toHaveLength(1);
    expect(during[0]!.startsWith(PARTIAL_WRITE_PREFIX)).toBe(true);
    release();
    const id = await put;
    expect(during[0]).toBe(`${PARTIAL_WRITE_PREFIX}${id}`);
    expect(await readdir(root)).toEqual([id]);
    expect((await stat(join(root, id))).size).toBe(2000);
  });

  it("reads in chunks of chunkSize, across chunk boundaries", async () => {
    const root = join(await tempDir(), "blobs");
    const store = createFsBlobStore({ root, chunkSize: 7 });
    const bytes = Uint8Array.from({ length: 100 }, (_, index) => index);
    const id = await store.put(bytes);
    const chunks: number[] = [];
    const reader = (await store.get(id, { start: 5, end: 60 }))!.getReader();
    const read: number[] = [];
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value.byteLength);
      read.push(...value);
    }
    expect(chunks.every((size) => size <= 7)).toBe(true);
    expect(read).toEqual(Array.from({ length: 56 }, (_, index) => index + 5));
    expect(await readAll((await store.get(id))!)).toEqual(bytes);
    expect(await store.getBytes(id, { start: 93, end: 99 })).toEqual(bytes.slice(93));
  });

  it("reads blobs Miniflare wrote: 80-hex names, mode 0644, time from the id", async () => {
    const root = join(await tempDir(), "blobs");
    await mkdir(root, { recursive: true });
    await writeFile(join(root, MINIFLARE_ID), "from miniflare", { mode: 0o644 });
    const store = createFsBlobStore({ root });
    expect(await store.getBytes(MINIFLARE_ID)).toEqual(new TextEncoder().encode("from miniflare"));
    expect(await store.stat(MINIFLARE_ID)).toEqual({ size: 14, createdAt: 1795303297261 });
    await store.delete(MINIFLARE_ID);
    expect(await readdir(root)).toEqual([]);
  });

  it("dates blobs whose id carries no time by the file's mtime", async () => {
    const root = join(await tempDir(), "blobs");
    await mkdir(root, { recursive: true });
    await writeFile(join(root, "legacy-blob"), "old");
    await utimes(join(root, "legacy-blob"), new Date(Date.UTC(2020, 0, 1)), new Date(Date.UTC(2020, 0, 1)));
    const store = createFsBlobStore({ root });
    expect(await store.stat("legacy-blob")).toEqual({ size: 3, createdAt: Date.UTC(2020, 0, 1) });
  });

  it("reports a directory where a blob should be as missing", async () => {
    const root = join(await tempDir(), "blobs");
    await mkdir(join(root, MINIFLARE_ID), { recursive: true });
    const store = createFsBlobStore({ root });
    expect(await store.stat(MINIFLARE_ID)).toBeNull();
    expect(await store.get(MINIFLARE_ID)).toBeNull();
    expect(await store.getBytes(MINIFLARE_ID)).toBeNull();
    expect(await store.getRanges(MINIFLARE_ID, [{ start: 0, end: 0 }])).toBeNull();
  });
});
