import type { ChunkHasher } from "./chunk-hasher.js";
import { hashWorker, type HashJobListener } from "./hash-worker.js";

/** Bytes per message to the worker: small chunks are batched, so few messages cross threads. */
const BATCH_BYTES = 1024 * 1024;
/** Bytes sent but not yet hashed before {@link WorkerHasher.update} waits: bounds memory. */
const MAX_BACKLOG_BYTES = 8 * 1024 * 1024;

/**
 * Hashes a body on the shared hashing worker while the main thread streams it to the blob store.
 * Each chunk is copied into a batch buffer that is then transferred (the chunk itself is still
 * needed for the write, and may share memory with the caller's other data), so every byte is
 * copied exactly once. Buffers come back from the worker once hashed and are reused.
 */
export class WorkerHasher implements ChunkHasher, HashJobListener {
  readonly #job: number;
  #batch: Uint8Array | undefined;
  #batchLength = 0;
  #backlog = 0;
  #spare: ArrayBuffer[] = [];
  #failure: Error | undefined;
  #drained: (() => void) | undefined;
  #result: { resolve(digests: Buffer[]): void; reject(error: Error): void } | undefined;
  #done = false;

  constructor(algorithms: readonly string[]) {
    this.#job = hashWorker.start(algorithms, this);
  }

  update(bytes: Uint8Array): Promise<void> | undefined {
    if (this.#failure !== undefined) throw this.#failure;
    let offset = 0;
    while (offset < bytes.byteLength) {
      this.#batch ??= new Uint8Array(this.#spare.pop() ?? new ArrayBuffer(BATCH_BYTES));
      const take = Math.min(bytes.byteLength - offset, BATCH_BYTES - this.#batchLength);
      this.#batch.set(bytes.subarray(offset, offset + take), this.#batchLength);
      this.#batchLength += take;
      offset += take;
      if (this.#batchLength === BATCH_BYTES) this.#send();
    }
    if (this.#backlog < MAX_BACKLOG_BYTES) return undefined;
    return hashWorker.whileWaiting(new Promise<void>((resolve) => (this.#drained = resolve))).then(() => {
      if (this.#failure !== undefined) throw this.#failure;
    });
  }

  digests(): Promise<Buffer[]> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    if (this.#batchLength > 0) this.#send();
    const result = new Promise<Buffer[]>((resolve, reject) => (this.#result = { resolve, reject }));
    hashWorker.end(this.#job);
    return hashWorker.whileWaiting(result);
  }

  abort(): void {
    if (this.#done) return;
    this.#done = true;
    hashWorker.abort(this.#job);
    this.#release();
  }

  /** @internal called by the worker */
  hashed(buffer: ArrayBuffer, length: number): void {
    this.#backlog -= length;
    if (this.#spare.length < 2) this.#spare.push(buffer);
    if (this.#backlog < MAX_BACKLOG_BYTES) this.#release();
  }

  /** @internal called by the worker */
  finished(digests: Buffer[]): void {
    this.#done = true;
    this.#result?.resolve(digests);
  }

  /** @internal called by the worker */
  failed(error: Error): void {
    this.#done = true;
    this.#failure = error;
    this.#result?.reject(error);
    this.#release();
  }

  #send(): void {
    const batch = this.#batch!;
    hashWorker.data(this.#job, batch.buffer as ArrayBuffer, this.#batchLength);
    this.#backlog += this.#batchLength;
    this.#batch = undefined;
    this.#batchLength = 0;
  }

  /** Lets a waiting {@link update} go on. */
  #release(): void {
    const drained = this.#drained;
    this.#drained = undefined;
    drained?.();
  }
}
