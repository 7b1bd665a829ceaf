import { createHash } from "node:crypto";
import { createR2Bucket, FixedLengthStream, type CellarR2Bucket } from "@cellar/r2";
import { afterEach, describe, expect, it } from "vitest";
import { countBlobs, openBackend, type OpenedBackend } from "./support/backends.ts";

/**
 * Puts large enough (≥ 16 MiB) for the bucket to hash them on its worker thread, through the
 * public API on fs blobs: digests must equal the in-thread ones, and failures must store nothing
 * and leave the worker usable.
 */

const MiB = 1024 * 1024;
const LARGE = 20 * MiB;

/** `length` bytes in 1 MiB chunks (fresh buffers, as a network source gives), varying by `seed`. */
function chunks(length: number, seed: number): Uint8Array[] {
  const result: Uint8Array[] = [];
  for (let offset = 0; offset < length; offset += MiB) {
    result.push(new Uint8Array(Math.min(MiB, length - offset)).map((_, index) => (index * 7 + offset / MiB + seed) & 0xff));
  }
  return result;
}

function sized(parts: readonly Uint8Array[], length = parts.reduce((sum, part) => sum + part.byteLength, 0)): ReadableStream<Uint8Array> {
  let next = 0;
  const source = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (next < parts.length) controller.enqueue(parts[next++]!);
      else controller.close();
    },
  });
  return source.pipeThrough(new FixedLengthStream(length));
}

function hex(algorithm: string, parts: readonly Uint8Array[]): string {
  const hash = createHash(algorithm);
  for (const part of parts) hash.update(part);
  return hash.digest("hex");
}

describe("r2 large puts (digests on the hashing worker)", () => {
  let backend: OpenedBackend;
  let bucket: CellarR2Bucket;

  async function open(): Promise<void> {
    backend = await openBackend({ blobs: "fs", engine: "native", database: "file" }, { product: "r2", beforeClose: () => bucket.close() });
    bucket = createR2Bucket({ metadata: backend.metadata, blobs: backend.blobs, logger: { warn: () => {} } });
  }

  afterEach(async () => {
    await backend?.cleanup();
  });

  it("stores the etag (MD5) and a verified SHA-256 checksum of a stream and a Blob", async () => {
    await open();
    const body = chunks(LARGE, 1);
    const sha256 = hex("sha256", body);
    const put = await bucket.put("stream", sized(body), { sha256 });
    expect(put!.etag).toBe(hex("md5", body));
    expect(put!.checksums.toJSON()).toEqual({ md5: hex("md5", body), sha256 });
    const blob = await bucket.put("blob", new Blob(body as BlobPart[]), { sha1: hex("sha1", body) });
    expect(blob!.checksums.toJSON()).toEqual({ md5: hex("md5", body), sha1: hex("sha1", body) });
    expect(Buffer.from(await (await bucket.get("stream"))!.arrayBuffer()).equals(Buffer.concat(body))).toBe(true);
  });

  it("rejects a wrong checksum with 10037 and stores nothing", async () => {
    await open();
    const body = chunks(LARGE, 2);
    await expect(bucket.put("key", sized(body), { sha256: "00".repeat(32) })).rejects.toThrow(/SHA-256 checksum you specified did not match.*\(10037\)/s);
    expect(await bucket.head("key")).toBeNull();
    await bucket.idle();
    expect(await countBlobs(backend)).toBe(0);
  });

  it("stores nothing for a body that errors, is short or is long, and the next large put still works", async () => {
    await open();
    await bucket.put("key", "old");
    const body = chunks(LARGE, 3);
    let sent = 0;
    const failing = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent < 10) controller.enqueue(body[sent++]!);
        else controller.error(new Error("source broke"));
      },
    });
    await expect(bucket.put("key", failing.pipeThrough(new FixedLengthStream(LARGE)))).rejects.toThrow("source broke");
    await expect(bucket.put("key", sized(body.slice(0, -1), LARGE))).rejects.toThrow(TypeError);
    await expect(bucket.put("key", sized([...body, new Uint8Array(1)], LARGE))).rejects.toThrow(TypeError);
    expect(await (await bucket.get("key"))!.text()).toBe("old");
    await bucket.idle();
    expect(await countBlobs(backend)).toBe(1);

    const next = chunks(LARGE + 12_345, 4);
    const put = await bucket.put("key", sized(next), { md5: hex("md5", next) });
    expect(put!.etag).toBe(hex("md5", next));
  });

  it("gives concurrent large puts their own digests", async () => {
    await open();
    const bodies = [5, 6, 7].map((seed) => chunks(LARGE + seed, seed));
    const puts = await Promise.all(bodies.map((body, index) => bucket.put(`key-${index}`, sized(body), { sha256: hex("sha256", body) })));
    expect(puts.map((put) => put!.etag)).toEqual(bodies.map((body) => hex("md5", body)));
    expect(puts.map((put) => put!.checksums.toJSON().sha256)).toEqual(bodies.map((body) => hex("sha256", body)));
  });
});
