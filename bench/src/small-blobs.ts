import { readFileSync, writeFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createFsBlobStore } from "@cellar/blob-store-fs";
import { createMemoryBlobStore } from "@cellar/blob-store-memory";
import { race, reportComparison } from "./report.ts";

/** 100-byte blobs put and read one at a time: fs store vs raw `fs.promises.writeFile/readFile`. */
export async function benchSmallBlobs(count = 3000, rounds = 3): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "cellar-bench-small-"));
  try {
    const value = new Uint8Array(100).fill(42);
    const store = createFsBlobStore({ root: join(dir, "blobs") });
    const rawDir = join(dir, "raw");
    await mkdir(rawDir);
    let ids: string[] = [];
    let generation = 0;
    const put = await race(
      rounds,
      async () => {
        // Each round writes new blobs, as the raw side writes new files: no deletes are timed.
        ids = [];
        for (let i = 0; i < count; i++) ids.push(await store.put(value, { userId: `key-${i}` }));
      },
      async () => {
        generation++;
        for (let i = 0; i < count; i++) await writeFile(join(rawDir, `key-${i}-${generation}`), value);
      },
    );
    reportComparison({ name: "fs blob put 100 B", unit: "ops/s", ours: count / (put.ours / 1000), raw: count / (put.raw / 1000), rawLabel: "raw fs", target: 0.7 });
    const get = await race(
      rounds,
      async () => {
        for (const id of ids) if ((await store.getBytes(id))?.byteLength !== 100) throw new Error("bad read");
      },
      async () => {
        for (let i = 0; i < count; i++) if ((await readFile(join(rawDir, `key-${i}-${generation}`))).byteLength !== 100) throw new Error("bad read");
      },
    );
    reportComparison({ name: "fs blob getBytes 100 B", unit: "ops/s", ours: count / (get.ours / 1000), raw: count / (get.raw / 1000), rawLabel: "raw fs", target: 0.7 });
    const streamGet = await race(
      rounds,
      async () => {
        for (const id of ids) {
          const stream = await store.get(id);
          for await (const _ of stream as unknown as AsyncIterable<Uint8Array>);
        }
      },
      async () => {
        for (let i = 0; i < count; i++) await readFile(join(rawDir, `key-${i}-${generation}`));
      },
    );
    reportComparison({ name: "fs blob get (stream) 100 B", unit: "ops/s", ours: count / (streamGet.ours / 1000), raw: count / (streamGet.raw / 1000), rawLabel: "raw fs" });
    // The store's small-blob paths are synchronous, so compare with raw synchronous fs as well.
    const syncPut = await race(
      rounds,
      async () => {
        for (let i = 0; i < count; i++) await store.put(value, { userId: `key-${i}` });
      },
      () => {
        generation++;
        for (let i = 0; i < count; i++) writeFileSync(join(rawDir, `key-${i}-${generation}`), value);
      },
    );
    reportComparison({ name: "fs blob put 100 B (vs sync fs)", unit: "ops/s", ours: count / (syncPut.ours / 1000), raw: count / (syncPut.raw / 1000), rawLabel: "raw fs  " });
    const syncGet = await race(
      rounds,
      async () => {
        for (const id of ids) await store.getBytes(id);
      },
      () => {
        for (let i = 0; i < count; i++) readFileSync(join(rawDir, `key-${i}-${generation}`));
      },
    );
    reportComparison({ name: "fs blob getBytes 100 B (vs sync fs)", unit: "ops/s", ours: count / (syncGet.ours / 1000), raw: count / (syncGet.raw / 1000), rawLabel: "raw fs  " });
    await store.close();

    const memory = createMemoryBlobStore();
    const memoryIds: string[] = [];
    const memoryPut = await race(
      1,
      async () => {
        for (let i = 0; i < count; i++) memoryIds.push(await memory.put(value, { userId: `key-${i}` }));
      },
      async () => {
        generation++;
        for (let i = 0; i < count; i++) await writeFile(join(rawDir, `key-${i}-${generation}`), value);
      },
    );
    reportComparison({ name: "memory blob put 100 B", unit: "ops/s", ours: count / (memoryPut.ours / 1000), raw: count / (memoryPut.raw / 1000), rawLabel: "raw fs" });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
