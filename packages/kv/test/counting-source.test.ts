import { describe, expect, it } from "vitest";
import { CountingSource } from "../src/counting-source.js";

function source(chunks: unknown[]): { stream: ReadableStream<unknown>; cancelled: () => boolean } {
  let cancelled = false;
  let index = 0;
  const stream = new ReadableStream<unknown>({
    pull(controller) {
      if (index < chunks.length) controller.enqueue(chunks[index++]);
      else controller.close();
    },
    cancel() {
      cancelled = true;
    },
  });
  return { stream, cancelled: () => cancelled };
}

describe("CountingSource", () => {
  it("passes chunks through as bytes, counting them", async () => {
    const { stream } = source([new Uint8Array([1, 2]), new Uint16Array([3]), new Uint8Array([4]).buffer]);
    const counting = new CountingSource(stream);
    const reader = counting.stream.getReader();
    const seen: number[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      seen.push(...value);
    }
    expect(seen).toEqual([1, 2, 3, 0, 4]);
    expect(counting.bytesRead).toBe(5);
  });

  it("does not cancel the source when its reader stops, and drains the rest to count it", async () => {
    const { stream, cancelled } = source([new Uint8Array(10), new Uint8Array(20), new Uint8Array(30)]);
    const counting = new CountingSource(stream);
    const reader = counting.stream.getReader();
    await reader.read();
    await reader.cancel();
    expect(cancelled()).toBe(false);
    expect(await counting.drain()).toBe(60);
  });

  it("rejects chunks that are not bytes", async () => {
    const counting = new CountingSource(source(["text"]).stream);
    await expect(counting.stream.getReader().read()).rejects.toThrow(TypeError);
  });
});
