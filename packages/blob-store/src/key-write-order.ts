/** One write's place in its key's queue. */
export interface WriteTurn {
  /** Settles when every earlier write to the key has committed or failed; `undefined` if none is pending. */
  readonly ready: Promise<void> | undefined;
  /** Lets the next write to the key commit. Call exactly once, after committing or failing. */
  release(): void;
}

/**
 * Orders the commits of writes to one key (a KV key, a cache URL, an R2 object key) by call
 * order. Miniflare lets the write that *commits* last win, so of 50 parallel puts the survivor
 * can be any of them; production and cellar let the write *called* last win.
 *
 * A write takes its turn synchronously when it is called, streams its value into a new blob in
 * parallel with every other write, and then waits for the previous write to the same key before
 * it commits. Values never interleave: each write has its own blob, and one row points to one.
 */
export class KeyWriteOrder {
  readonly #tails = new Map<string, Promise<void>>();

  /** Takes the next turn for `key`. Must be called synchronously when the write is called. */
  enter(key: string): WriteTurn {
    const ready = this.#tails.get(key);
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    this.#tails.set(key, done);
    return {
      ready,
      release: () => {
        release();
        if (this.#tails.get(key) === done) this.#tails.delete(key);
      },
    };
  }

  /** Settles once every turn taken so far has been released. */
  async idle(): Promise<void> {
    while (this.#tails.size > 0) await Promise.all(this.#tails.values());
  }
}
