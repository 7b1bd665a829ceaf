import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createFsBlobStore } from "../src/index.ts";
import { listTree, useTempDirs } from "./temp-dir.ts";

const HOSTILE_USER_IDS = [
  "../escaped",
  "../../escaped",
  "..\\escaped",
  "/absolute",
  "C:\\windows",
  "a/../../b",
  "nul\u0000byte",
  ".",
  "..",
  ".hidden",
  "con",
  "x".repeat(10_000),
  "%2e%2e%2fescaped",
];

describe("createFsBlobStore: nothing outside the root", () => {
  const tempDir = useTempDirs();

  it("writes only blob files directly inside the root, whatever the user id", async () => {
    const parent = await tempDir();
    await writeFile(join(parent, "neighbour.txt"), "untouched");
    const root = join(parent, "ns", "blobs");
    const store = createFsBlobStore({ root });
    const before = await listTree(parent);
    const ids = [];
    for (const userId of HOSTILE_USER_IDS) ids.push(await store.put(`value of ${userId.slice(0, 10)}`, { userId }));
    const streamed = await store.put(new Blob(["streamed"]).stream(), { userId: "../../streamed" });
    const after = await listTree(parent);
    const added = after.filter((path) => !before.includes(path));
    expect(added.sort()).toEqual(["ns/", "ns/blobs/", ...[...ids, streamed].map((id) => `ns/blobs/${id}`)].sort());
    expect(await readFile(join(parent, "neighbour.txt"), "utf8")).toBe("untouched");
  });

  it("never reaches outside the root through an invalid id", async () => {
    const parent = await tempDir();
    const root = join(parent, "blobs");
    await writeFile(join(parent, "secret"), "secret");
    const store = createFsBlobStore({ root });
    await store.put("inside");
    const before = await listTree(parent);
    for (const id of ["../secret", "..\\secret", join(parent, "secret"), "./../secret", "blobs/../../secret"]) {
      await expect(store.get(id)).rejects.toMatchObject({ code: "ERR_INVALID_BLOB_ID" });
      await expect(store.getBytes(id)).rejects.toMatchObject({ code: "ERR_INVALID_BLOB_ID" });
      await expect(store.stat(id)).rejects.toMatchObject({ code: "ERR_INVALID_BLOB_ID" });
      await expect(store.delete(id)).rejects.toMatchObject({ code: "ERR_INVALID_BLOB_ID" });
    }
    expect(await listTree(parent)).toEqual(before);
  });
});
