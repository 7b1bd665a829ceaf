import { expect } from "vitest";
import { fromUtf8 } from "./test-bytes.js";

/** One part of a parsed `multipart/byteranges` body. */
export interface ParsedBytePart {
  /** `Content-Type` of the part, if it has one. */
  readonly contentType: string | undefined;
  /** Parsed `Content-Range: bytes start-end/size`. */
  readonly start: number;
  readonly end: number;
  readonly size: number;
  readonly data: Uint8Array;
}

/**
 * Parses a `multipart/byteranges` body strictly, as Miniflare frames it: `--B\r\n`, the part
 * headers, `\r\n`, exactly `end - start + 1` data bytes; parts joined by `\r\n`; the trailer
 * `\r\n--B--` and nothing after it. Data is sliced by the `Content-Range` length, so binary data
 * that happens to contain the boundary parses correctly. Any deviation fails the test.
 */
export function parseMultipartByteRanges(body: Uint8Array, boundary: string): ParsedBytePart[] {
  const parts: ParsedBytePart[] = [];
  let offset = 0;
  const expectText = (text: string, what: string): void => {
    const actual = fromUtf8(body.subarray(offset, offset + text.length));
    expect(actual, `${what} at byte ${offset}`).toBe(text);
    offset += text.length;
  };
  expectText(`--${boundary}\r\n`, "first delimiter");
  while (true) {
    const headerEnd = indexOf(body, "\r\n\r\n", offset);
    expect(headerEnd, `end of part headers after byte ${offset}`).toBeGreaterThanOrEqual(0);
    const headers = fromUtf8(body.subarray(offset, headerEnd)).split("\r\n");
    offset = headerEnd + 4;
    let contentType: string | undefined;
    let range: { start: number; end: number; size: number } | undefined;
    for (const line of headers) {
      const match = /^([A-Za-z-]+): (.*)$/.exec(line);
      expect(match, `header line ${JSON.stringify(line)}`).not.toBeNull();
      const [, name, value] = match!;
      if (name === "Content-Type") {
        contentType = value;
      } else if (name === "Content-Range") {
        const parsed = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(value!);
        expect(parsed, `Content-Range ${JSON.stringify(value)}`).not.toBeNull();
        range = { start: Number(parsed![1]), end: Number(parsed![2]), size: Number(parsed![3]) };
      } else {
        expect.fail(`unexpected part header ${JSON.stringify(line)}`);
      }
    }
    expect(range, "every part has a Content-Range").toBeDefined();
    const length = range!.end - range!.start + 1;
    const data = body.slice(offset, offset + length);
    expect(data.byteLength, "part data length").toBe(length);
    offset += length;
    parts.push({ contentType, ...range!, data });
    expectText(`\r\n--${boundary}`, "delimiter after part data");
    if (fromUtf8(body.subarray(offset, offset + 2)) === "--") {
      offset += 2;
      expect(offset, "nothing after the closing delimiter").toBe(body.byteLength);
      return parts;
    }
    expectText("\r\n", "line break after a delimiter");
  }
}

function indexOf(haystack: Uint8Array, text: string, from: number): number {
  const needle = Array.from(text, (char) => char.charCodeAt(0));
  outer: for (let index = from; index <= haystack.byteLength - needle.length; index++) {
    for (let offset = 0; offset < needle.length; offset++) {
      if (haystack[index + offset] !== needle[offset]) continue outer;
    }
    return index;
  }
  return -1;
}
