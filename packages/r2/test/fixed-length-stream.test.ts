import { readAll } from "@cellar/blob-store";
import { describe, expect, it } from "vitest";
import { FixedLengthStream, knownStreamLength } from "../src/fixed-length-stream.js";
import { requireKnownLength, toPutBody } from "../src/put-body.js";

const where = { method: "put", className: "R2Bucket", nullable: true };

describe("FixedLengthStream", () => {
  it("passes exactly its length through and makes its readable half a stream of known length", async () => {
    const stream = new FixedLengthStream(5);
    expect(knownStreamLength(stream.readable)).toBe(5);
    expect(requireKnownLength(toPutBody(stream.readable, where)).length).toBe(5);
    const writer = stream.writable.getWriter();
    void writer.write(new TextEncoder().encode("abc"));
    void writer.write(new Uint16Array([0x6564]));
    void writer.close();
    expect(new TextDecoder().decode(await readAll(stream.readable))).toBe("abcde");
  });

  it("errors on too many or too few bytes", async () => {
    const long = new FixedLengthStream(2n);
    const reading = readAll(long.readable);
    const writer = long.writable.getWriter();
    await expect(writer.write(new Uint8Array(3))).rejects.toThrow("Attempt to write too many bytes through a FixedLengthStream.");
    await expect(reading).rejects.toThrow("Attempt to write too many bytes");
    const short = new FixedLengthStream(2);
    const shortReading = readAll(short.readable);
    const shortWriter = short.writable.getWriter();
    void shortWriter.write(new Uint8Array(1));
    await expect(shortWriter.close()).rejects.toThrow("FixedLengthStream did not see all expected bytes before close().");
    await expect(shortReading).rejects.toThrow("did not see all expected bytes");
    expect(() => new FixedLengthStream(-1)).toThrow(TypeError);
  });

  it("leaves other streams of unknown length", () => {
    expect(() => requireKnownLength(toPutBody(new ReadableStream(), where))).toThrow(
      "Provided readable stream must have a known length (request/response body or readable half of FixedLengthStream)",
    );
    expect(() => toPutBody(42, where)).toThrow(
      "Failed to execute 'put' on 'R2Bucket': parameter 2 is not of type 'ReadableStream or ArrayBuffer or ArrayBufferView or string or Blob'.",
    );
  });
});
