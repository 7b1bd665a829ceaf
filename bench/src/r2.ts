import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { createFsBlobStore } from "@cellar/blob-store-fs";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";
import { createR2Bucket, FixedLengthStream, type CellarR2Bucket, type R2LimitsOptions } from "@cellar/r2";
import { bestOf, race, reportComparison, reportFigure } from "./report.ts";
import { byteStream, drain, MiB } from "./sources.ts";
import { childNodeOptions } from "./child-node-options.ts";

const RSS_CHILD_FLAG = "--r2-peak-rss-child";
const SMALL_OBJECTS = 2000;
const LIST_KEYS = 100_000;

/**
 * R2 on fs blobs + a better-sqlite3 file, each figure beside the raw limit measured in the same
 * run: 256 MiB streamed put and get against raw `fs` streams (and against raw `fs` plus the MD5
 * every put must compute for its etag), peak RSS of a 1 GiB put and get in a child process,
 * 1 KiB puts and gets against raw better-sqlite3 plus raw `fs`, completing a 1,000-part upload,
 * a ranged read across a part boundary, and a delimiter listing over 100,000 keys.
 */
export async function benchR2(sizeMiB = 256, rounds = 3): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "cellar-bench-r2-"));
  try {
    await benchStreaming(dir, sizeMiB, rounds);
    await benchPeakRss(1024);
    await benchSmallObjects(dir, rounds);
    await benchMultipart(dir, rounds);
    await benchDelimiterList(dir, rounds);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A bucket named `name` under `dir`, laid out as `wrangler dev` lays one out. */
async function openBucket(dir: string, name: string, limits?: R2LimitsOptions): Promise<{ bucket: CellarR2Bucket; close(): void; metadata: ReturnType<ReturnType<typeof createSqliteEngine>["open"]> }> {
  await mkdir(join(dir, name), { recursive: true });
  const metadata = createSqliteEngine().open(join(dir, name, "bucket.sqlite"));
  const bucket = createR2Bucket({ metadata, blobs: createFsBlobStore({ root: join(dir, name, "blobs") }), limits, logger: { warn: () => {} } });
  return { bucket, metadata, close: () => metadata.close() };
}

function sized(size: number): ReadableStream<Uint8Array> {
  return byteStream(size).pipeThrough(new FixedLengthStream(size));
}

async function benchStreaming(dir: string, sizeMiB: number, rounds: number): Promise<void> {
  const size = sizeMiB * MiB;
  const { bucket, close } = await openBucket(dir, "stream");
  const rawPath = join(dir, "raw.bin");
  const put = await race(
    rounds,
    async () => {
      await bucket.put("big", sized(size));
      await bucket.idle();
    },
    async () => {
      await rm(rawPath, { force: true });
      await pipeline(Readable.fromWeb(byteStream(size) as never), createWriteStream(rawPath));
    },
  );
  reportComparison({ name: `r2 put ${sizeMiB} MiB stream (fs + b-s3)`, unit: "MiB/s", ours: sizeMiB / (put.ours / 1000), raw: sizeMiB / (put.raw / 1000), rawLabel: "raw fs", target: 0.7 });
  const hashedRaw = await bestOf(rounds, async () => {
    await rm(rawPath, { force: true });
    const md5 = createHash("md5");
    const hashing = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        md5.update(chunk);
        callback(null, chunk);
      },
    });
    await pipeline(Readable.fromWeb(byteStream(size) as never), hashing, createWriteStream(rawPath));
    md5.digest();
  });
  reportComparison({ name: `r2 put ${sizeMiB} MiB stream vs raw fs + MD5`, unit: "MiB/s", ours: sizeMiB / (put.ours / 1000), raw: sizeMiB / (hashedRaw / 1000), rawLabel: "fs+md5" });
  const get = await race(
    rounds,
    async () => {
      if ((await drain((await bucket.get("big"))!.body)) !== size) throw new Error("short read");
    },
    async () => {
      let bytes = 0;
      for await (const chunk of createReadStream(rawPath, { highWaterMark: MiB })) bytes += (chunk as Buffer).byteLength;
      if (bytes !== size) throw new Error("short raw read");
    },
  );
  reportComparison({ name: `r2 get ${sizeMiB} MiB stream (fs + b-s3)`, unit: "MiB/s", ours: sizeMiB / (get.ours / 1000), raw: sizeMiB / (get.raw / 1000), rawLabel: "raw fs", target: 0.7 });
  await bucket.close();
  close();
}

/** Peak RSS above baseline while putting and getting a `sizeMiB` object, measured in a child process. */
async function benchPeakRss(sizeMiB: number): Promise<void> {
  if (process.argv.includes(RSS_CHILD_FLAG)) throw new Error("the peak-RSS child must not start another child");
  const { stdout } = await promisify(execFile)(process.execPath, [...childNodeOptions(), fileURLToPath(import.meta.url), RSS_CHILD_FLAG, String(sizeMiB * MiB)], {
    maxBuffer: 1 << 20,
  });
  const { baseline, peakWrite, peakRead } = JSON.parse(stdout.trim().split("\n").at(-1)!) as Record<string, number>;
  for (const [phase, peak] of [["put", peakWrite!], ["get", peakRead!]] as const) {
    const above = (peak - baseline!) / MiB;
    reportFigure({
      name: `r2 peak RSS, ${sizeMiB} MiB ${phase}`,
      value: `${above.toFixed(1)} MiB above baseline (${(baseline! / MiB).toFixed(0)} MiB)`,
      note: above < 100 ? "ok (target < 100 MiB)" : "ABOVE target 100 MiB",
    });
  }
}

async function runPeakRssChild(size: number): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "cellar-bench-r2-rss-"));
  try {
    const { bucket, close } = await openBucket(dir, "rss");
    // Warm up code paths so their one-time allocations count in the baseline, not the peak.
    await bucket.put("warm", sized(4 * MiB));
    await drain((await bucket.get("warm"))!.body);
    await bucket.delete("warm");
    await bucket.idle();
    globalThis.gc?.();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const baseline = process.memoryUsage.rss();
    let peak = baseline;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
    await bucket.put("huge", sized(size));
    const peakWrite = Math.max(peak, process.memoryUsage.rss());
    peak = baseline;
    const read = await drain((await bucket.get("huge"))!.body);
    const peakRead = Math.max(peak, process.memoryUsage.rss());
    clearInterval(timer);
    if (read !== size) throw new Error(`read ${read} of ${size} bytes`);
    await bucket.close();
    close();
    process.stdout.write(`${JSON.stringify({ baseline, peakWrite, peakRead })}\n`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function benchSmallObjects(dir: string, rounds: number): Promise<void> {
  const value = new Uint8Array(1024).map((_, index) => index & 0xff);
  const { bucket, close } = await openBucket(dir, "small");
  const rawDir = join(dir, "raw-small");
  mkdirSync(rawDir, { recursive: true });
  const raw = new Database(join(rawDir, "raw.sqlite"));
  raw.pragma("journal_mode = WAL");
  raw.pragma("synchronous = NORMAL");
  raw.exec("CREATE TABLE IF NOT EXISTS objects (key TEXT PRIMARY KEY, blob TEXT NOT NULL, size INTEGER NOT NULL, etag TEXT NOT NULL)");
  const rawInsert = raw.prepare("INSERT OR REPLACE INTO objects (key, blob, size, etag) VALUES (?, ?, ?, ?)");
  const rawPutOne = raw.transaction((key: string, blob: string) => rawInsert.run(key, blob, value.byteLength, "etag"));
  const rawSelect = raw.prepare("SELECT blob FROM objects WHERE key = ?").pluck();
  const puts = await race(
    rounds,
    async () => {
      for (let index = 0; index < SMALL_OBJECTS; index++) await bucket.put(`key-${index}`, value);
      await bucket.idle();
    },
    () => {
      for (let index = 0; index < SMALL_OBJECTS; index++) {
        const blob = `blob-${index}`;
        writeFileSync(join(rawDir, blob), value);
        rawPutOne.immediate(`key-${index}`, blob);
      }
    },
  );
  reportComparison({ name: "r2 put 1 KiB (fs + b-s3)", unit: "ops/s", ours: ops(SMALL_OBJECTS, puts.ours), raw: ops(SMALL_OBJECTS, puts.raw), rawLabel: "b-s3+fs" });
  // The same file operations as immutable blobs: every write creates a new file and unlinks the
  // one it replaces (creating a file costs far more than overwriting one on most file systems).
  let generation = 0;
  const freshFiles = await bestOf(rounds, () => {
    generation += 1;
    for (let index = 0; index < SMALL_OBJECTS; index++) {
      const blob = `blob-${generation}-${index}`;
      writeFileSync(join(rawDir, blob), value);
      const previous = rawSelect.get(`fresh-${index}`) as string | undefined;
      rawPutOne.immediate(`fresh-${index}`, blob);
      if (previous !== undefined) rmSync(join(rawDir, previous));
    }
  });
  reportComparison({ name: "r2 put 1 KiB vs raw new-file-per-put", unit: "ops/s", ours: ops(SMALL_OBJECTS, puts.ours), raw: ops(SMALL_OBJECTS, freshFiles), rawLabel: "new file" });
  const gets = await race(
    rounds,
    async () => {
      for (let index = 0; index < SMALL_OBJECTS; index++) {
        if ((await (await bucket.get(`key-${index}`))!.arrayBuffer()).byteLength !== 1024) throw new Error("bad read");
      }
    },
    () => {
      for (let index = 0; index < SMALL_OBJECTS; index++) {
        if (readFileSync(join(rawDir, rawSelect.get(`key-${index}`) as string)).byteLength !== 1024) throw new Error("bad raw read");
      }
    },
  );
  reportComparison({ name: "r2 get 1 KiB (fs + b-s3)", unit: "ops/s", ours: ops(SMALL_OBJECTS, gets.ours), raw: ops(SMALL_OBJECTS, gets.raw), rawLabel: "b-s3+fs" });
  raw.close();
  await bucket.close();
  close();
}

async function benchMultipart(dir: string, rounds: number): Promise<void> {
  const parts = 1000;
  const partSize = 4096;
  const { bucket, close } = await openBucket(dir, "multipart", { minPartSize: partSize });
  const part = new Uint8Array(partSize).fill(1);
  let completeMs = Number.POSITIVE_INFINITY;
  for (let round = 0; round < rounds; round++) {
    const upload = await bucket.createMultipartUpload("thousand");
    const uploaded = [];
    for (let number = 1; number <= parts; number++) uploaded.push(await upload.uploadPart(number, part));
    const start = performance.now();
    await upload.complete(uploaded);
    completeMs = Math.min(completeMs, performance.now() - start);
    await bucket.idle();
  }
  reportFigure({ name: `r2 complete ${parts}-part upload`, value: `${completeMs.toFixed(1)} ms`, note: `${parts} x ${partSize / 1024} KiB parts, no bytes copied` });
  const whole = await bestOf(rounds, async () => {
    if ((await drain((await bucket.get("thousand"))!.body)) !== parts * partSize) throw new Error("short read");
  });
  reportFigure({ name: `r2 get whole ${parts}-part object (${(parts * partSize) / MiB} MiB)`, value: `${whole.toFixed(1)} ms`, note: "one part open at a time" });

  // Ranged reads across a boundary of 5 MiB parts (production's minimum), against the same range of a single-part object.
  const big = 5 * MiB;
  const upload = await bucket.createMultipartUpload("parts");
  const bigParts = [];
  for (let number = 1; number <= 4; number++) bigParts.push(await upload.uploadPart(number, sized(big)));
  await upload.complete(bigParts);
  await bucket.put("single", sized(4 * big));
  const range = { offset: 2 * big - MiB / 2, length: MiB };
  const reads = await race(
    rounds * 10,
    async () => {
      if ((await drain((await bucket.get("parts", { range }))!.body)) !== MiB) throw new Error("short ranged read");
    },
    async () => {
      if ((await drain((await bucket.get("single", { range }))!.body)) !== MiB) throw new Error("short ranged read");
    },
  );
  reportComparison({ name: "r2 1 MiB range across a part boundary", unit: "MiB/s", ours: 1 / (reads.ours / 1000), raw: 1 / (reads.raw / 1000), rawLabel: "1-part" });
  reportFigure({ name: "r2 1 MiB range across a part boundary", value: `${reads.ours.toFixed(2)} ms`, note: `same range of a single-part object ${reads.raw.toFixed(2)} ms` });
  await bucket.close();
  close();
}

async function benchDelimiterList(dir: string, rounds: number): Promise<void> {
  const { bucket, metadata, close } = await openBucket(dir, "list");
  // Rows are seeded straight into `_mf_objects` (listing reads no blobs): 100 directories of
  // 990 files, plus 1,000 top-level keys between them.
  const insert = metadata.prepare(
    "INSERT INTO _mf_objects (key, blob_id, version, size, etag, uploaded, checksums, http_metadata, custom_metadata) VALUES (?, 'b', 'v', 1, 'e', 0, '{}', '{}', '{}')",
  );
  metadata.transaction(() => {
    for (let index = 0; index < LIST_KEYS; index++) {
      const group = Math.floor(index / 1000);
      const item = index % 1000;
      insert.run(item < 990 ? `dir-${pad(group)}/file-${pad(item)}` : `dir-${pad(group)}-file-${pad(item)}`);
    }
  });
  let entries = 0;
  const delimited = await bestOf(rounds, async () => {
    const page = await bucket.list({ delimiter: "/" });
    entries = page.objects.length + page.delimitedPrefixes.length;
  });
  reportFigure({ name: `r2 list delimiter "/" over ${LIST_KEYS / 1000}k keys`, value: `${delimited.toFixed(1)} ms`, note: `a page of ${entries} entries; the listing holds 100 prefixes and 1,000 objects` });
  const raw = new Database(join(dir, "list", "bucket.sqlite"), { readonly: true });
  const rawPage = raw.prepare("SELECT key, version, size, etag, uploaded, checksums, http_metadata, custom_metadata FROM _mf_objects WHERE key > ? ORDER BY key LIMIT 1001").raw();
  const plain = await race(
    rounds * 5,
    async () => {
      if ((await bucket.list({ startAfter: "dir-050" })).objects.length !== 1000) throw new Error("short page");
    },
    () => {
      if (rawPage.all("dir-050").length !== 1001) throw new Error("short raw page");
    },
  );
  reportComparison({ name: `r2 list 1000 of ${LIST_KEYS / 1000}k keys`, unit: "ops/s", ours: 1000 / plain.ours, raw: 1000 / plain.raw, rawLabel: "raw SELECT" });
  raw.close();
  await bucket.close();
  close();
}

function pad(value: number): string {
  return String(value).padStart(3, "0");
}

function ops(count: number, ms: number): number {
  return count / (ms / 1000);
}

const childFlag = process.argv.indexOf(RSS_CHILD_FLAG);
if (childFlag !== -1) await runPeakRssChild(Number(process.argv[childFlag + 1]));
