import { describe, expect, it } from "vitest";
import { collectBytes, createBytesStream, readAll, streamChunks } from "../src/index.ts";

describe("createBytesStream", () => {
  it("yields fresh copies of at most chunkSize bytes", async () => {
    const bytes = Uint8Array.from({ length: 10 }, (_, index) => index);
    const chunks: Uint8Array[] = [];
    for await (const chunk of streamChunks(createBytesStream(bytes, 4))) chunks.push(chunk);
    expect(chunks.map((chunk) => chunk.byteLength)).toEqual([4, 4, 2]);
    for (const chunk of chunks) chunk.fill(0xff);
    expect(bytes).toEqual(Uint8Array.from({ length: 10 }, (_, index) => index));
    for (const chunk of chunks) expect(chunk.buffer).not.toBe(bytes.buffer);
  });

  it("defaults to 64 KiB chunks and handles empty input", async () => {
    const chunks: Uint8Array[] = [];
    for await (const chunk of streamChunks(createBytesStream(new Uint8Array(150 * 1024)))) chunks.push(chunk);
    expect(chunks.map((chunk) => chunk.byteLength)).toEqual([65536, 65536, 22528]);
    expect(await readAll(createBytesStream(new Uint8Array(0)))).toEqual(new Uint8Array(0));
  });

  it("rejects a chunk size that is not a positive integer", () => {
    expect(() => createBytesStream(new Uint8Array(1), 0)).toThrow(RangeError);
  });
});

describe("collectBytes / readAll", () => {
  it("copies chunks as they arrive", async () => {
    const chunk = Uint8Array.of(1, 2, 3);
    async function* source() {
      yield chunk;
      chunk.fill(0);
      yield Uint8Array.of(4);
    }
    expect(await collectBytes(source())).toEqual(Uint8Array.of(1, 2, 3, 4));
  });

  it("reads a large stream whole", async () => {
    const bytes = Uint8Array.from({ length: 300_000 }, (_, index) => index & 0xff);
    const read = await readAll(createBytesStream(bytes, 7_777));
    expect(Buffer.compare(read, bytes)).toBe(0);
  });

  it("cancels a stream iterated only in part", async () => {
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      pull: (controller) => controller.enqueue(new Uint8Array(1)),
      cancel: () => void (cancelled = true),
    });
    for await (const _chunk of streamChunks(stream)) break;
    expect(cancelled).toBe(true);
  });
});
