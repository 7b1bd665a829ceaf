import { writeImageAtomically, writeImageAtomicallySync } from "./file-image.js";

/** What {@link GroupCommit} persists: one database kept in memory, written to one file. */
export interface PersistSource {
  /** The file to write. */
  readonly path: string;
  /** Fsync the temporary file and the directory on every write. */
  readonly durable: boolean;
  /** A counter that grows with every change that may need writing (never shrinks). */
  readonly version: number;
  /** True while no image may be taken because a transaction is open. */
  isBusy(): boolean;
  /** The file image to write; only called while not busy. */
  snapshot(): Uint8Array;
  /** Told about every completed file write (size in bytes); must not throw. */
  written(bytes: number): void;
}

interface Write {
  /** The version the write captured; undefined until it takes its snapshot. */
  snapshotVersion: number | undefined;
  promise: Promise<void>;
}

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * Group commit for a database that lives in memory and is persisted as a whole file.
 *
 * `flush()` resolves once everything committed before the call is in the file. At most one write
 * is in flight and at most one is queued: a flush that the in-flight write already covers (it has
 * not taken its snapshot yet, or took it after the flush's changes) shares that write; any other
 * flush shares the single queued write, which starts when the in-flight one ends and covers all
 * of them. N concurrent flushes therefore cost one or two file writes, not N.
 *
 * A write never snapshots inside an open transaction (uncommitted data must not reach the file,
 * and sql.js refuses anyway); it waits until {@link poke} reports the transaction has ended.
 * Nothing is written when nothing changed since the last write.
 */
export class GroupCommit {
  readonly #source: PersistSource;
  /** The version known to be in the file. */
  #written: number;
  #current: Write | undefined;
  #queued: Deferred | undefined;
  #idle: (() => void) | undefined;
  #closed = false;
  #closeError: unknown;

  /** @param writtenVersion the source version the file already holds (its version right after opening) */
  constructor(source: PersistSource, writtenVersion: number) {
    this.#source = source;
    this.#written = writtenVersion;
  }

  /** True while a write waits for a transaction to end; the database then calls {@link poke} after statements. */
  get waiting(): boolean {
    return this.#idle !== undefined;
  }

  /** Let a write that waits for the end of a transaction proceed, if the transaction has ended. */
  poke(): void {
    if (this.#idle !== undefined && !this.#source.isBusy()) {
      const resume = this.#idle;
      this.#idle = undefined;
      resume();
    }
  }

  /** The durability barrier; see the class comment. */
  flush(): Promise<void> {
    const wanted = this.#source.version;
    if (wanted <= this.#written) return Promise.resolve();
    const current = this.#current;
    if (current === undefined) return this.#start().promise;
    if (current.snapshotVersion === undefined || current.snapshotVersion >= wanted) return current.promise;
    this.#queued ??= deferred();
    return this.#queued.promise;
  }

  /**
   * The final write, synchronously (`close()` is synchronous). An in-flight write that has not
   * renamed its file yet is discarded, since this one is newer; pending flushes then resolve,
   * or reject with this write's error if it failed.
   */
  closeSync(): void {
    this.#closed = true;
    try {
      const version = this.#source.version;
      if (version > this.#written) {
        const image = this.#source.snapshot();
        writeImageAtomicallySync(this.#source.path, image, this.#source.durable);
        this.#written = version;
        this.#source.written(image.length);
      }
    } catch (error) {
      this.#closeError = error;
      throw error;
    } finally {
      const resume = this.#idle;
      this.#idle = undefined;
      resume?.();
    }
  }

  #start(): Write {
    const write: Write = { snapshotVersion: undefined, promise: Promise.resolve() };
    write.promise = this.#perform(write).finally(() => {
      this.#current = undefined;
      const queued = this.#queued;
      if (queued !== undefined) {
        this.#queued = undefined;
        this.flush().then(queued.resolve, queued.reject);
      }
    });
    this.#current = write;
    return write;
  }

  async #perform(write: Write): Promise<void> {
    // Start after the caller's synchronous code, so flushes issued together share this write.
    await Promise.resolve();
    if (this.#source.isBusy() && !this.#closed) await new Promise<void>((resume) => (this.#idle = resume));
    if (this.#closed) return this.#afterClose();
    const version = this.#source.version;
    write.snapshotVersion = version;
    if (version <= this.#written) return;
    const image = this.#source.snapshot();
    const committed = await writeImageAtomically(this.#source.path, image, this.#source.durable, () => !this.#closed);
    if (!committed) return this.#afterClose();
    this.#written = Math.max(this.#written, version);
    this.#source.written(image.length);
  }

  /** After `closeSync`, its write stands for every pending flush. */
  #afterClose(): void {
    if (this.#closeError !== undefined) throw this.#closeError;
  }
}
