import { describe, expect, it } from "vitest";
import { collectBytes, openBlobBody, type BlobBody } from "../src/index.ts";

function streamOf(chunks: unknown[], onCancel?: () => void): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (index < chunks.length) controller.enqueue(chunks[index++] as Uint8Array);
        else controller.close();
      },
      cancel: onCancel,
    },
    { highWaterMark: 0 },
  );
}

async function bytesOf(body: BlobBody, limits = {}): Promise<Uint8Array> {
  const source = openBlobBody(body, limits);
  return source.kind === "bytes" ? source.bytes : collectBytes(source.chunks);
}

describe("openBlobBody", () => {
  it("turns every body type into bytes", async () => {
    expect(await bytesOf("hé")).toEqual(Uint8Array.of(0x68, 0xc3, 0xa9));
    expect(await bytesOf(Uint8Array.of(1, 2).buffer)).toEqual(Uint8Array.of(1, 2));
    expect(await bytesOf(Uint8Array.of(1, 2, 3, 4).subarray(1, 3))).toEqual(Uint8Array.of(2, 3));
    // Any ArrayBuffer view is accepted at runtime, though the type names only Uint8Array.
    expect(await bytesOf(new DataView(Uint8Array.of(9, 8, 7).buffer, 1) as unknown as BlobBody)).toEqual(Uint8Array.of(8, 7));
    expect(await bytesOf(streamOf([Uint8Array.of(1), Uint8Array.of(2, 3)]))).toEqual(Uint8Array.of(1, 2, 3));
  });

  it("takes byte bodies as is and streams as chunks", () => {
    expect(openBlobBody(new Uint8Array(1)).kind).toBe("bytes");
    expect(openBlobBody(streamOf([])).kind).toBe("stream");
  });

  it("refuses other body types and bad limits with a TypeError", () => {
    for (const body of [1, null, undefined, {}, [1]]) expect(() => openBlobBody(body as unknown as BlobBody)).toThrow(TypeError);
    for (const maxSize of [-1, Number.NaN, "5"]) {
      expect(() => openBlobBody("x", { maxSize: maxSize as number })).toThrow(TypeError);
    }
  });

  it("counts bytes against maxSize and cancels a stream that goes over", async () => {
    let cancelled = false;
    const source = openBlobBody(streamOf([new Uint8Array(6), new Uint8Array(6), new Uint8Array(6)], () => (cancelled = true)), { maxSize: 10 });
    await expect(bytesOf(streamOf([new Uint8Array(10)]), { maxSize: 10 })).resolves.toHaveLength(10);
    expect(source.kind).toBe("stream");
    await expect(collectBytes((source as { chunks: AsyncIterable<Uint8Array> }).chunks)).rejects.toMatchObject({ code: "ERR_BLOB_TOO_LARGE", maxSize: 10 });
    expect(cancelled).toBe(true);
    expect(() => openBlobBody(new Uint8Array(11), { maxSize: 10 })).toThrow(expect.objectContaining({ code: "ERR_BLOB_TOO_LARGE" }));
  });

  it("rejects as soon as the signal aborts, even while the stream stalls", async () => {
    let cancelled = false;
    const stalled = new ReadableStream<Uint8Array>({ pull: () => new Promise(() => {}), cancel: () => void (cancelled = true) }, { highWaterMark: 0 });
    const controller = new AbortController();
    const source = openBlobBody(stalled, { signal: controller.signal });
    const reading = collectBytes((source as { chunks: AsyncIterable<Uint8Array> }).chunks);
    setTimeout(() => controller.abort(new Error("bye")), 5);
    const error = await reading.then(() => undefined, (caught: unknown) => caught);
    expect(error).toMatchObject({ code: "ERR_BLOB_WRITE_ABORTED" });
    expect((error as Error).cause).toEqual(new Error("bye"));
    expect(cancelled).toBe(true);
  });

  it("refuses an already aborted signal up front", () => {
    expect(() => openBlobBody("x", { signal: AbortSignal.abort() })).toThrow(expect.objectContaining({ code: "ERR_BLOB_WRITE_ABORTED" }));
  });

  it("refuses stream chunks that are not bytes", async () => {
    const source = openBlobBody(streamOf(["text"]));
    await expect(collectBytes((source as { chunks: AsyncIterable<Uint8Array> }).chunks)).rejects.toThrow(TypeError);
  });

  it("passes the stream's own error through", async () => {
    const failure = new Error("reset");
    const failing = new ReadableStream<Uint8Array>({ pull: (controller) => controller.error(failure) });
    const source = openBlobBody(failing);
    await expect(collectBytes((source as { chunks: AsyncIterable<Uint8Array> }).chunks)).rejects.toBe(failure);
  });
});
