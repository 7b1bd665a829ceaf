import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createChunkHasher, InlineHasher, WORKER_HASH_MIN_BYTES } from "../src/chunk-hasher.js";
import { WorkerHasher } from "../src/worker-hasher.js";

const MiB = 1024 * 1024;

/** Bytes that differ per `seed`, so digests of different bodies differ. */
function pattern(length: number, seed = 0): Uint8Array {
  return new Uint8Array(length).map((_, index) => (index * 31 + seed) & 0xff);
}

function expected(algorithms: readonly string[], ...chunks: Uint8Array[]): string[] {
  return algorithms.map((algorithm) => {
    const hash = createHash(algorithm);
    for (const chunk of chunks) hash.update(chunk);
    return hash.digest("hex");
  });
}

async function feed(hasher: WorkerHasher, chunks: readonly Uint8Array[]): Promise<string[]> {
  for (const chunk of chunks) await hasher.update(chunk);
  return (await hasher.digests()).map((digest) => digest.toString("hex"));
}

describe("createChunkHasher", () => {
  it("hashes large bodies on the worker and small ones inline", () => {
    const large = createChunkHasher(["md5"], WORKER_HASH_MIN_BYTES);
    expect(large).toBeInstanceOf(WorkerHasher);
    large.abort();
    expect(createChunkHasher(["md5"], WORKER_HASH_MIN_BYTES - 1)).toBeInstanceOf(InlineHasher);
  });
});

describe("WorkerHasher", () => {
  const algorithms = ["md5", "sha1", "sha256", "sha384", "sha512"];

  it("computes every digest as node:crypto does, over chunks of any size and offset", async () => {
    const backing = pattern(3 * MiB + 7);
    // Views into one buffer (as pooled Buffers are), a chunk larger than a batch, tiny chunks.
    const chunks = [backing.subarray(1, 100), backing.subarray(100, 2 * MiB + 3), new Uint8Array(0), backing.subarray(2 * MiB + 3, 2 * MiB + 4), backing.subarray(2 * MiB + 4)];
    expect(await feed(new WorkerHasher(algorithms), chunks)).toEqual(expected(algorithms, ...chunks));
  });

  it("copies each chunk, so the caller may reuse it at once", async () => {
    const hasher = new WorkerHasher(["md5"]);
    const chunk = pattern(64 * 1024);
    const seen: Uint8Array[] = [];
    for (let round = 0; round < 40; round++) {
      chunk.fill(round);
      seen.push(chunk.slice());
      await hasher.update(chunk);
    }
    expect((await hasher.digests()).map((digest) => digest.toString("hex"))).toEqual(expected(["md5"], ...seen));
  });

  it("gives concurrent jobs their own digests", async () => {
    const bodies = [0, 1, 2].map((seed) => [pattern(5 * MiB, seed), pattern(MiB + 1, seed + 10)]);
    const results = await Promise.all(bodies.map((chunks) => feed(new WorkerHasher(["md5", "sha256"]), chunks)));
    expect(results).toEqual(bodies.map((chunks) => expected(["md5", "sha256"], ...chunks)));
  });

  it("fails a job with an unknown algorithm without harming the next", async () => {
    const broken = new WorkerHasher(["md5", "no-such-hash"]);
    await expect(feed(broken, [pattern(3 * MiB)])).rejects.toThrow(/digest|hash/i);
    expect(await feed(new WorkerHasher(["md5"]), [pattern(MiB)])).toEqual(expected(["md5"], pattern(MiB)));
  });

  it("leaves nothing behind when a job is aborted mid-way", async () => {
    const aborted = new WorkerHasher(["md5"]);
    await aborted.update(pattern(9 * MiB));
    aborted.abort();
    aborted.abort();
    expect(await feed(new WorkerHasher(["md5"]), [pattern(2 * MiB, 5)])).toEqual(expected(["md5"], pattern(2 * MiB, 5)));
  });

  it("keeps the process alive while a job waits for digests, and not once it has them", async () => {
    // A child that only hashes: it must print the digest (the worker is referenced while a
    // reply is awaited) and then exit by itself (the idle worker is unreferenced).
    const script = [
      `import { WorkerHasher } from ${JSON.stringify(join(import.meta.dirname, "../src/worker-hasher.ts"))};`,
      "const hasher = new WorkerHasher(['md5']);",
      "hasher.update(new Uint8Array(4 * 1024 * 1024).fill(7));",
      "hasher.digests().then((digests) => console.log(digests[0].toString('hex')));",
    ].join("\n");
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "--eval", script], { stdio: ["ignore", "pipe", "inherit"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => child.kill(), 20_000);
      child.on("exit", (exitCode) => (clearTimeout(timer), resolve(exitCode)));
    });
    expect(code).toBe(0);
    expect(output.trim()).toBe(expected(["md5"], new Uint8Array(4 * MiB).fill(7))[0]);
  });
});
