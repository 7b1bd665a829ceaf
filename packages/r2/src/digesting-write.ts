import { createHash } from "node:crypto";
import type { BlobStore } from "@cellar/blob-store";
import { createChunkHasher, type ChunkHasher } from "./chunk-hasher.js";
import { chunkBytes } from "./fixed-length-stream.js";
import type { SizedBody } from "./put-body.js";

/** Blobs up to this size are read into memory and stored in one write (the store's fast path). */
const BLOB_IN_MEMORY_MAX = 1024 * 1024;

/** What {@link writeDigestedBlob} stored. */
export interface DigestedBlob {
  readonly blobId: string;
  /** One digest per requested algorithm, in the order requested. */
  readonly digests: readonly Buffer[];
}

/**
 * Streams a body into a new blob while computing its digests (Node `crypto` names: `md5`,
 * `sha1`, …), so nothing is ever buffered whole: each chunk is hashed as it passes on its way to
 * the blob store, and the next chunk is read and hashed while the store writes the previous
 * one. Large bodies are hashed on a worker thread instead (`createChunkHasher`), so hashing runs
 * beside the main thread's stream plumbing rather than after it. Bytes (and small `Blob`s) take
 * the store's one-write path.
 *
 * A failing body stores nothing and rejects with the stream's own error; a stream that yields
 * more or fewer bytes than its known length stores nothing and rejects with a `TypeError`.
 */
export async function writeDigestedBlob(
  blobs: BlobStore,
  body: SizedBody,
  options: { readonly userId: string; readonly algorithms: readonly string[] },
): Promise<DigestedBlob> {
  if (body.kind === "bytes" || (body.kind === "blob" && body.length <= BLOB_IN_MEMORY_MAX)) {
    const bytes = body.kind === "bytes" ? body.bytes : new Uint8Array(await body.blob.arrayBuffer());
    const hashes = options.algorithms.map((algorithm) => createHash(algorithm));
    for (const hash of hashes) hash.update(bytes);
    const blobId = await blobs.put(bytes, { userId: options.userId });
    return { blobId, digests: hashes.map((hash) => hash.digest()) };
  }
  const hasher = createChunkHasher(options.algorithms, body.length);
  const source = new DigestingSource(body.kind === "blob" ? body.blob.stream() : body.stream, hasher);
  let blobId: string;
  try {
    blobId = await blobs.put(source.stream, { userId: options.userId, maxSize: body.length });
  } catch (error) {
    source.cancel(error);
    hasher.abort();
    if ((error as { code?: unknown } | null)?.code === "ERR_BLOB_TOO_LARGE") throw lengthMismatch(body.length, "more");
    throw error;
  }
  if (source.bytesRead !== body.length) {
    hasher.abort();
    await blobs.delete(blobId);
    throw lengthMismatch(body.length, "fewer");
  }
  let digests: Buffer[];
  try {
    digests = await hasher.digests();
  } catch (error) {
    await blobs.delete(blobId);
    throw error;
  }
  return { blobId, digests };
}

function lengthMismatch(length: number, direction: "more" | "fewer"): TypeError {
  return new TypeError(`The stream produced ${direction} bytes than its known length (${length}); nothing was stored.`);
}

/**
 * Hands a caller's stream to the blob store chunk by chunk, hashing and counting each chunk on
 * the way. Pull-based with one chunk of read-ahead: while the store writes chunk n, chunk n+1 is
 * read and hashed, so hashing overlaps the disk instead of adding to it. When the hasher is
 * behind (a worker), the next read waits for it, which keeps memory flat.
 */
class DigestingSource {
  bytesRead = 0;
  readonly stream: ReadableStream<Uint8Array>;
  readonly #reader: ReadableStreamDefaultReader<unknown>;

  constructor(source: ReadableStream<unknown>, hasher: ChunkHasher) {
    this.#reader = source.getReader();
    this.stream = new ReadableStream<Uint8Array>(
      {
        pull: async (controller) => {
          const result = await this.#reader.read();
          if (result.done) {
            controller.close();
            return;
          }
          const bytes = chunkBytes(result.value);
          const behind = hasher.update(bytes);
          this.bytesRead += bytes.byteLength;
          controller.enqueue(bytes);
          if (behind !== undefined) await behind;
        },
        cancel: (reason) => this.#reader.cancel(reason),
      },
      { highWaterMark: 1 },
    );
  }

  /** Stops reading the caller's stream after a failure. */
  cancel(reason: unknown): void {
    this.#reader.cancel(reason).catch(() => {});
  }
}
