import { Worker } from "node:worker_threads";

/**
 * The worker's whole program, plain CommonJS run with `eval: true`: a worker file next to this
 * module would need a loader for `.ts` sources (tests, tsx) and a copy step for `dist`, while an
 * inline script runs the same way everywhere.
 *
 * Messages in: `start` (a job's algorithms), `data` (a transferred buffer holding `length` bytes
 * to hash), `end` (reply with the digests) and `abort` (forget the job). Every `data` buffer goes
 * back to the main thread once hashed, so it can be reused and counted against the backlog.
 * Jobs are independent: an unknown algorithm fails its own job, never the worker.
 */
const WORKER_SOURCE = `"use strict";
const { parentPort } = require("node:worker_threads");
const { createHash } = require("node:crypto");
const jobs = new Map();
parentPort.on("message", (message) => {
  const { op, job } = message;
  if (op === "start") {
    try {
      jobs.set(job, message.algorithms.map((algorithm) => createHash(algorithm)));
    } catch (error) {
      parentPort.postMessage({ job, error: String((error && error.message) || error) });
    }
    return;
  }
  const hashes = jobs.get(job);
  if (op === "data") {
    if (hashes) for (const hash of hashes) hash.update(new Uint8Array(message.buffer, 0, message.length));
    parentPort.postMessage({ job, buffer: message.buffer, length: message.length }, [message.buffer]);
  } else if (op === "end") {
    jobs.delete(job);
    if (hashes) parentPort.postMessage({ job, digests: hashes.map((hash) => new Uint8Array(hash.digest())) });
  } else if (op === "abort") {
    jobs.delete(job);
  }
});
`;

/** What a job hears back from the worker. */
export interface HashJobListener {
  /** A `data` buffer was hashed; it comes back for reuse. */
  hashed(buffer: ArrayBuffer, length: number): void;
  /** The digests, in the order of the job's algorithms. */
  finished(digests: Buffer[]): void;
  /** The job cannot finish: its algorithms were refused, or the worker died. */
  failed(error: Error): void;
}

type WorkerReply =
  | { job: number; buffer: ArrayBuffer; length: number }
  | { job: number; digests: Uint8Array[] }
  | { job: number; error: string };

/**
 * One worker thread per process that hashes for every large put, started on first use. It is
 * `unref`'d except while the main thread awaits one of its replies, so it never keeps a process
 * alive on its own, and a put waiting on it is never cut short by the process exiting. If it
 * dies, its jobs fail and the next job starts a new one.
 */
class HashWorker {
  #worker: Worker | undefined;
  #nextJob = 1;
  readonly #jobs = new Map<number, HashJobListener>();
  #waiting = 0;

  /**
   * Starts a job; returns its id.
   *
   * @throws when no worker thread can be started
   */
  start(algorithms: readonly string[], listener: HashJobListener): number {
    const worker = this.#ensureWorker();
    const job = this.#nextJob++;
    this.#jobs.set(job, listener);
    worker.postMessage({ op: "start", job, algorithms });
    return job;
  }

  /**
   * Sends `length` bytes of `buffer` to be hashed, transferring the buffer. (With no worker, the
   * job has already failed: a dead worker fails all its jobs.)
   */
  data(job: number, buffer: ArrayBuffer, length: number): void {
    this.#worker?.postMessage({ op: "data", job, buffer, length }, [buffer]);
  }

  /** Asks for the digests; the listener's `finished` (or `failed`) follows. */
  end(job: number): void {
    this.#worker?.postMessage({ op: "end", job });
  }

  /** Forgets a job that will not finish, here and in the worker. */
  abort(job: number): void {
    if (!this.#jobs.delete(job)) return;
    this.#worker?.postMessage({ op: "abort", job });
  }

  /** Keeps the process alive (the worker referenced) until `reply` settles. */
  async whileWaiting<T>(reply: Promise<T>): Promise<T> {
    if (this.#waiting++ === 0) this.#worker?.ref();
    try {
      return await reply;
    } finally {
      if (--this.#waiting === 0) this.#worker?.unref();
    }
  }

  #ensureWorker(): Worker {
    if (this.#worker !== undefined) return this.#worker;
    // No execArgv: the script is plain JavaScript and needs none of the parent's loaders.
    const worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], name: "cellar-r2-hash" });
    worker.on("message", (reply: WorkerReply) => this.#reply(reply));
    worker.on("error", (error) => this.#died(worker, error));
    worker.on("exit", (code) => this.#died(worker, new Error(`The R2 hashing worker exited with code ${code}.`)));
    // After the listeners: adding a "message" listener references the worker again.
    if (this.#waiting === 0) worker.unref();
    this.#worker = worker;
    return worker;
  }

  #reply(reply: WorkerReply): void {
    const listener = this.#jobs.get(reply.job);
    if (listener === undefined) return; // an aborted job's late reply
    if ("buffer" in reply) {
      listener.hashed(reply.buffer, reply.length);
    } else if ("digests" in reply) {
      this.#jobs.delete(reply.job);
      listener.finished(reply.digests.map((digest) => Buffer.from(digest.buffer, digest.byteOffset, digest.byteLength)));
    } else {
      this.#jobs.delete(reply.job);
      listener.failed(new Error(reply.error));
    }
  }

  #died(worker: Worker, error: Error): void {
    if (this.#worker !== worker) return;
    this.#worker = undefined;
    const jobs = [...this.#jobs.values()];
    this.#jobs.clear();
    for (const listener of jobs) listener.failed(error);
  }
}

/** The process's hashing worker (not started until a job needs it). */
export const hashWorker = new HashWorker();
