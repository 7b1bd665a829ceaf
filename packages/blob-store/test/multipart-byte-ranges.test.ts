import { describe, expect, it } from "vitest";
import { createBytesStream, createMultipartByteRanges, readAll, type ByteRange } from "../src/index.ts";

const blob = new TextEncoder().encode("0123456789abcdefghij");
const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

/** A `readRange` over `blob` that logs when each part is opened, read to the end or cancelled. */
function loggingReader(log: string[], chunkSize = 2) {
  return async (range: ByteRange): Promise<ReadableStream<Uint8Array>> => {
    const label = `${range.start}-${range.end}`;
    log.push(`open ${label}`);
    const inner = createBytesStream(blob.subarray(range.start, range.end + 1), chunkSize).getReader();
    return new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          const { done, value } = await inner.read();
          if (done) {
            log.push(`end ${label}`);
            controller.close();
          } else {
            controller.enqueue(value);
          }
        },
        cancel() {
          log.push(`cancel ${label}`);
        },
      },
      { highWaterMark: 0 },
    );
  };
}

describe("createMultipartByteRanges", () => {
  it("frames parts exactly as Miniflare does", async () => {
    const body = createMultipartByteRanges({
      ranges: [
        { start: 0, end: 1 },
        { start: 5, end: 9 },
      ],
      size: 20,
      contentType: "text/plain",
      boundary: "B",
      readRange: loggingReader([]),
    });
    expect(body.contentType).toBe("multipart/byteranges; boundary=B");
    expect(body.boundary).toBe("B");
    expect(text(await readAll(body.body))).toBe(
      "--B\r\nContent-Type: text/plain\r\nContent-Range: bytes 0-1/20\r\n\r\n01" +
        "\r\n--B\r\nContent-Type: text/plain\r\nContent-Range: bytes 5-9/20\r\n\r\n56789\r\n--B--",
    );
  });

  it("uses a random cellar boundary by default", () => {
    const options = { ranges: [{ start: 0, end: 0 }], size: 20, readRange: loggingReader([]) };
    const first = createMultipartByteRanges(options);
    const second = createMultipartByteRanges(options);
    expect(first.boundary).toMatch(/^cellar-boundary-[0-9a-f-]{36}$/);
    expect(first.boundary).not.toBe(second.boundary);
  });

  it("opens nothing until read, and each part only after the previous one is drained", async () => {
    const log: string[] = [];
    const body = createMultipartByteRanges({
      ranges: [
        { start: 0, end: 3 },
        { start: 10, end: 11 },
      ],
      size: 20,
      boundary: "B",
      readRange: loggingReader(log),
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(log).toEqual([]);
    const reader = body.body.getReader();
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      log.push(`chunk ${JSON.stringify(text(value))}`);
    }
    expect(log).toEqual([
      "open 0-3",
      String.raw`chunk "--B\r\nContent-Range: bytes 0-3/20\r\n\r\n"`,
      'chunk "01"',
      'chunk "23"',
      "end 0-3",
      "open 10-11",
      String.raw`chunk "\r\n--B\r\nContent-Range: bytes 10-11/20\r\n\r\n"`,
      'chunk "ab"',
      "end 10-11",
      String.raw`chunk "\r\n--B--"`,
    ]);
  });

  it("cancels the part being read when the body is cancelled", async () => {
    const log: string[] = [];
    const body = createMultipartByteRanges({
      ranges: [
        { start: 0, end: 9 },
        { start: 10, end: 19 },
      ],
      size: 20,
      readRange: loggingReader(log),
    });
    const reader = body.body.getReader();
    await reader.read();
    await reader.read();
    await reader.cancel("gone");
    expect(log).toEqual(["open 0-9", "cancel 0-9"]);
  });

  it("validates every range before reading anything", () => {
    const log: string[] = [];
    const make = (ranges: unknown[], size = 20) => () =>
      createMultipartByteRanges({ ranges: ranges as ByteRange[], size, readRange: loggingReader(log) });
    expect(make([{ start: 0, end: 1 }, { start: 3, end: 2 }])).toThrow(expect.objectContaining({ code: "ERR_INVALID_RANGE" }));
    expect(make([{ start: 0, end: 1 }, { start: 19, end: 20 }])).toThrow(expect.objectContaining({ code: "ERR_RANGE_NOT_SATISFIABLE" }));
    expect(make([])).toThrow(expect.objectContaining({ code: "ERR_INVALID_RANGE" }));
    expect(make([{ start: 0, end: 0 }], 0)).toThrow(expect.objectContaining({ code: "ERR_RANGE_NOT_SATISFIABLE" }));
    expect(log).toEqual([]);
  });

  it("refuses boundaries and content types that would break the framing", () => {
    const base = { ranges: [{ start: 0, end: 0 }], size: 20, readRange: loggingReader([]) };
    for (const boundary of ["", "a\r\nb", "x".repeat(71), "trailing ", "a\u00e9"]) {
      expect(() => createMultipartByteRanges({ ...base, boundary })).toThrow(TypeError);
    }
    expect(() => createMultipartByteRanges({ ...base, contentType: "text/plain\r\nX-Injected: 1" })).toThrow(TypeError);
  });

  it("errors the body when a part is shorter or longer than its range", async () => {
    const short = createMultipartByteRanges({
      ranges: [{ start: 0, end: 9 }],
      size: 20,
      readRange: async () => createBytesStream(blob.subarray(0, 5)),
    });
    await expect(readAll(short.body)).rejects.toMatchObject({ code: "ERR_BLOB_STORE_IO" });
    const long = createMultipartByteRanges({
      ranges: [{ start: 0, end: 1 }],
      size: 20,
      readRange: async () => createBytesStream(blob.subarray(0, 5)),
    });
    await expect(readAll(long.body)).rejects.toMatchObject({ code: "ERR_BLOB_STORE_IO" });
  });

  it("passes a part's read error on, and releases that part", async () => {
    const failure = new Error("disk gone");
    const body = createMultipartByteRanges({
      ranges: [{ start: 0, end: 1 }],
      size: 20,
      readRange: async () => {
        throw failure;
      },
    });
    await expect(readAll(body.body)).rejects.toBe(failure);
  });
});
