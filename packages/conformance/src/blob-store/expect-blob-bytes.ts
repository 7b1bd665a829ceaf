import { expect } from "vitest";
import type { BlobStore } from "@cellar/blob-store";
import { expectSameBytes, readStreamBytes } from "./test-bytes.js";

/** Reads a blob both ways (`getBytes` and `get`) and expects the same bytes from each. */
export async function expectBlobBytes(store: BlobStore, id: string, expected: Uint8Array): Promise<void> {
  expectSameBytes(await store.getBytes(id), expected, `getBytes(${id})`);
  const stream = await store.get(id);
  expect(stream, `get(${id})`).not.toBeNull();
  expectSameBytes(await readStreamBytes(stream!), expected, `get(${id}) streamed`);
}
