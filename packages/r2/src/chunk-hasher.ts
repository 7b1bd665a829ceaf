import { createHash } from "node:crypto";
import { WorkerHasher } from "./worker-hasher.js";

/**
 * Bodies at least this long are hashed on the hashing worker. Measured on 2 cores, puts of 2-12
 * MiB are as fast either way (the commit and the first chunk dominate), while from 16 MiB the
 * worker wins by 10-25%, growing with size; small puts never pay for a message.
 */
export const WORKER_HASH_MIN_BYTES = 16 * 1024 * 1024;

/** Digests a body fed to it chunk by chunk. */
export interface ChunkHasher {
  /**
   * Adds `bytes`, which the caller may reuse as soon as this returns. A returned promise asks the
   * caller to wait before the next chunk (the worker is behind); it rejects if hashing failed.
   */
  update(bytes: Uint8Array): Promise<void> | undefined;
  /** The digests, one per algorithm in the order given; call once, after the last `update`. */
  digests(): Promise<Buffer[]>;
  /** Gives up (the write failed): frees whatever the hasher holds. */
  abort(): void;
}

/**
 * A hasher for the digests of `algorithms` (Node `crypto` names) over a body of `length` bytes:
 * large bodies are hashed on the shared hashing worker, so the main thread only moves bytes,
 * and everything else on the main thread, with no message overhead.
 */
export function createChunkHasher(algorithms: readonly string[], length: number): ChunkHasher {
  if (length >= WORKER_HASH_MIN_BYTES) {
    try {
      return new WorkerHasher(algorithms);
    } catch {
      // No thread could be started (a resource limit): hashing here is slower, not wrong.
    }
  }
  return new InlineHasher(algorithms);
}

/** Hashes in the calling thread. */
export class InlineHasher implements ChunkHasher {
  readonly #hashes;

  constructor(algorithms: readonly string[]) {
    this.#hashes = algorithms.map((algorithm) => createHash(algorithm));
  }

  update(bytes: Uint8Array): undefined {
    for (const hash of this.#hashes) hash.update(bytes);
    return undefined;
  }

  digests(): Promise<Buffer[]> {
    return Promise.resolve(this.#hashes.map((hash) => hash.digest()));
  }

  abort(): void {}
}
