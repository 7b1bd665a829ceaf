import { describe, expect, it } from "vitest";
import { ResponseBody } from "../src/response-body.js";

function chunked(chunks: unknown[]): ReadableStream<unknown> {
  return new ReadableStream({
    pull(controller) {
      if (chunks.length === 0) controller.close();
      else controller.enqueue(chunks.shift());
    },
  });
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<number[]> {
  const bytes: number[] = [];
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) bytes.push(...chunk);
  return bytes;
}

describe("ResponseBody", () => {
  it("takes the reader at once, so the caller cannot read the body any more", () => {
    const stream = chunked([new Uint8Array([1])]);
    new ResponseBody(stream);
    expect(stream.locked).toBe(true);
  });

  it("returns a small body whole, counting it", async () => {
    const body = new ResponseBody(chunked([new Uint8Array([1, 2]), new Uint8Array([3])]));
    expect(await body.readUpTo(10)).toEqual(new Uint8Array([1, 2, 3]));
    expect(body.bytesRead).toBe(3);
  });

  it("reads a null body as empty", async () => {
    const body = new ResponseBody(null);
    expect(await body.readUpTo(10)).toEqual(new Uint8Array(0));
    expect(await body.drain()).toBe(0);
  });

  it("streams a larger body from where readUpTo stopped, buffered chunks first", async () => {
    const body = new ResponseBody(chunked([new Uint8Array([1, 2]), new Uint8Array([3, 4]), new Uint8Array([5])]));
    expect(await body.readUpTo(2)).toBeUndefined();
    expect(await readAll(body.stream())).toEqual([1, 2, 3, 4, 5]);
    expect(body.bytesRead).toBe(5);
  });

  it("accepts any ArrayBuffer view or ArrayBuffer chunk, and rejects other chunks", async () => {
    const body = new ResponseBody(chunked([new Uint16Array([0x0201]), new ArrayBuffer(2), new DataView(new ArrayBuffer(1))]));
    expect(await body.readUpTo(100)).toEqual(new Uint8Array([1, 2, 0, 0, 0]));
    const wrong = new ResponseBody(chunked(["text"]));
    await expect(wrong.readUpTo(100)).rejects.toThrow(new TypeError("This ReadableStream did not return bytes."));
  });

  it("drains what the blob store did not read, without cancelling the source", async () => {
    let cancelled = false;
    let pulled = 0;
    const source = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled++ < 5) controller.enqueue(new Uint8Array(10));
        else controller.close();
      },
      cancel: () => void (cancelled = true),
    });
    const body = new ResponseBody(source);
    const reader = body.stream().getReader();
    await reader.read();
    await reader.cancel();
    expect(await body.drain()).toBe(50);
    expect(cancelled).toBe(false);
  });
});
