/**
 * Child process for the peak-RSS figure: streams a blob of `size` bytes into the fs blob store
 * and back out, sampling RSS every 5 ms. Prints `{ baseline, peakWrite, peakRead }` as JSON.
 * It runs alone so nothing else in the benchmark inflates its memory.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createFsBlobStore } from "@cellar/blob-store-fs";
import { byteStream, drain } from "./sources.ts";

const size = Number(process.argv[2]);
const dir = await mkdtemp(join(tmpdir(), "cellar-bench-rss-"));
try {
  const store = createFsBlobStore({ root: join(dir, "blobs") });
  // Warm up code paths so their one-time allocations count in the baseline, not the peak.
  const warm = await store.put(byteStream(4 << 20));
  await drain((await store.get(warm))!);
  await store.delete(warm);
  globalThis.gc?.();
  await new Promise((resolve) => setTimeout(resolve, 50));
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
  const id = await store.put(byteStream(size));
  const peakWrite = Math.max(peak, process.memoryUsage.rss());
  peak = baseline;
  const read = await drain((await store.get(id))!);
  const peakRead = Math.max(peak, process.memoryUsage.rss());
  clearInterval(timer);
  if (read !== size) throw new Error(`read ${read} of ${size} bytes`);
  await store.close();
  process.stdout.write(JSON.stringify({ baseline, peakWrite, peakRead }));
} finally {
  await rm(dir, { recursive: true, force: true });
}
