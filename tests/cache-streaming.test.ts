import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFsBlobStore, PARTIAL_WRITE_PREFIX } from "@cellar/blob-store-fs";
import { createCacheStorage, type CellarCacheStorage } from "@cellar/cache";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";
import { fresh } from "./support/cache-wrappers.ts";

const MiB = 1024 * 1024;
const URL_A = "https://cache.test/large";

let dir: string;
let blobDirectory: string;
let caches: CellarCacheStorage;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "cellar-cache-stream-"));
  blobDirectory = join(dir, "blobs");
  mkdirSync(blobDirectory);
  const engine = createSqliteEngine();
  caches = createCacheStorage({ open: () => ({ metadata: engine.open(join(dir, "cache.sqlite")), blobs: createFsBlobStore({ root: blobDirectory }) }) });
});
afterEach(async () => {
  await caches.close();
  await rm(dir, { recursive: true, force: true });
});

const CHUNK = 256 * 1024;
/** Byte i is i mod 251, with room to start a chunk at any phase. */
const PATTERN = Uint8Array.from({ length: CHUNK + 251 }, (_, index) => index % 251);

/** A body of `total` bytes made on demand (byte i is i mod 251), that waits at `pauseAt` until `resume()`. */
function pausingBody(total: number, pauseAt: number) {
  let produced = 0;
  let resume!: () => void;
  const resumed = new Promise<void>((resolve) => (resume = resolve));
  let paused!: () => void;
  const reachedPause = new Promise<void>((resolve) => (paused = resolve));
  const hash = createHash("sha256");
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (produced === pauseAt) {
          paused();
          await resumed;
        }
        if (produced >= total) return controller.close();
        const phase = produced % 251;
        const chunk = PATTERN.slice(phase, phase + Math.min(CHUNK, total - produced));
        produced += chunk.byteLength;
        hash.update(chunk);
        controller.enqueue(chunk);
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, resume, reachedPause, digest: () => hash.digest("hex") };
}

describe("cache streaming", () => {
  it("writes a large body to disk while it is still arriving, and streams it back in chunks", async () => {
    const body = pausingBody(24 * MiB, 8 * MiB);
    const putting = caches.default.put(URL_A, fresh(body.stream));
    await body.reachedPause;
    const partial = readdirSync(blobDirectory).filter((name) => name.startsWith(PARTIAL_WRITE_PREFIX));
    expect(partial).toHaveLength(1);
    // Most of what arrived is on disk already: the body is not gathered in memory first.
    expect(statSync(join(blobDirectory, partial[0]!)).size).toBeGreaterThanOrEqual(4 * MiB);
    body.resume();
    await putting;

    const hit = (await caches.default.match(URL_A))!;
    const hash = createHash("sha256");
    let chunks = 0;
    let largest = 0;
    let total = 0;
    for await (const chunk of hit.body!) {
      chunks++;
      largest = Math.max(largest, chunk.byteLength);
      total += chunk.byteLength;
      hash.update(chunk);
    }
    expect(total).toBe(24 * MiB);
    expect(chunks).toBeGreaterThan(8);
    expect(largest).toBeLessThanOrEqual(MiB);
    expect(hash.digest("hex")).toBe(body.digest());
  });

  it("streams a ranged match of a large body without reading the rest, and survives a cancelled body", async () => {
    const body = pausingBody(16 * MiB, -1);
    await caches.default.put(URL_A, fresh(body.stream));
    const ranged = (await caches.default.match(new Request(URL_A, { headers: { Range: `bytes=${15 * MiB}-` } })))!;
    expect(ranged.headers.get("Content-Length")).toBe(String(MiB));
    const bytes = new Uint8Array(await ranged.arrayBuffer());
    expect(bytes.byteLength).toBe(MiB);
    expect(bytes[0]).toBe((15 * MiB) % 251);

    const whole = (await caches.default.match(URL_A))!;
    const reader = whole.body!.getReader();
    await reader.read();
    await reader.cancel();
    expect(await caches.default.delete(URL_A)).toBe(true);
    await caches.default.idle();
    expect(readdirSync(blobDirectory)).toEqual([]);
  });
});
