/**
 * `pnpm bench`: every figure is printed beside the raw limit measured in the same run, as a
 * ratio. These are benchmarks, not timed tests: they never fail the build, they report.
 * Pass section names to run only some: `pnpm bench streaming sqlite`.
 */
import { cpus, totalmem } from "node:os";
import { benchCache } from "./cache.ts";
import { benchFsStreaming } from "./fs-streaming.ts";
import { benchPeakRss } from "./rss.ts";
import { benchSmallBlobs } from "./small-blobs.ts";
import { benchSqlite } from "./sqlite.ts";

const sections: Record<string, () => Promise<void>> = {
  streaming: () => benchFsStreaming(),
  small: () => benchSmallBlobs(),
  sqlite: () => benchSqlite(),
  rss: () => benchPeakRss(),
  cache: () => benchCache(),
  kv: async () => (await import("./kv.ts")).benchKV(),
  r2: async () => (await import("./r2.ts")).benchR2(),
  d1: async () => (await import("./d1.ts")).benchD1(),
  "durable-objects": async () => (await import("./durable-objects.ts")).benchDurableObjects(),
  "durable-objects-scale": async () => (await import("./durable-objects-scale.ts")).benchDurableObjectsScale(),
  serve: async () => (await import("./serve-load.ts")).benchServeLoad(),
};

const wanted = process.argv.slice(2).filter((arg) => arg !== "--");
console.log(`cellar benchmarks — node ${process.version}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB\n`);
for (const [name, run] of Object.entries(sections)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  await run();
}
