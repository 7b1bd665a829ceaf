import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createFsBlobStore } from "@cellar/blob-store-fs";
import { race, reportComparison } from "./report.ts";
import { byteStream, drain, MiB } from "./sources.ts";

/** 256 MiB streamed into and out of the fs blob store vs raw `fs` streams, same source, same disk. */
export async function benchFsStreaming(sizeMiB = 256, rounds = 3): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "cellar-bench-stream-"));
  try {
    const size = sizeMiB * MiB;
    const store = createFsBlobStore({ root: join(dir, "blobs") });
    const rawPath = join(dir, "raw.bin");
    let lastId: string | undefined;
    const write = await race(
      rounds,
      async () => {
        if (lastId) await store.delete(lastId);
        lastId = await store.put(byteStream(size));
      },
      async () => {
        await rm(rawPath, { force: true });
        await pipeline(Readable.fromWeb(byteStream(size) as never), createWriteStream(rawPath));
      },
    );
    reportComparison({ name: `fs blob stream write ${sizeMiB} MiB`, unit: "MiB/s", ours: sizeMiB / (write.ours / 1000), raw: sizeMiB / (write.raw / 1000), rawLabel: "raw fs", target: 0.8 });
    const id = lastId!;
    const read = await race(
      rounds,
      async () => {
        const stream = await store.get(id);
        if ((await drain(stream!)) !== size) throw new Error("short read");
      },
      async () => {
        let bytes = 0;
        for await (const chunk of createReadStream(rawPath, { highWaterMark: MiB })) bytes += (chunk as Buffer).byteLength;
        if (bytes !== size) throw new Error("short read");
      },
    );
    reportComparison({ name: `fs blob stream read ${sizeMiB} MiB`, unit: "MiB/s", ours: sizeMiB / (read.ours / 1000), raw: sizeMiB / (read.raw / 1000), rawLabel: "raw fs", target: 0.8 });
    await store.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
