import { expect } from "vitest";

/**
 * Expects `actual` to hold exactly `expected`'s bytes. Compares with `Buffer.equals`: vitest's
 * deep equality walks typed arrays element by element, which takes seconds on large values.
 */
export function expectSameBytes(actual: Uint8Array | ArrayBuffer, expected: Uint8Array, label = "bytes"): void {
  const bytes = actual instanceof Uint8Array ? actual : new Uint8Array(actual);
  expect(bytes.byteLength, `${label}: length`).toBe(expected.byteLength);
  const same = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).equals(
    Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength),
  );
  if (!same) {
    const index = bytes.findIndex((byte, i) => byte !== expected[i]);
    expect.fail(`${label}: byte ${index} is ${bytes[index]}, expected ${expected[index]}`);
  }
}
