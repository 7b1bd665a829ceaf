/** One write's place in its key's queue. */
export interface WriteTurn {
  /** Settles when every earlier write to the key has committed or failed; `undefined` if none is pending. */
  readonly ready: Promise<void> | undefined;
  /** Lets the next write to the key commit. Call exactly once, after committing or failing. */
  release(): void;
}

/**
 * Orders the commits of writes to one cache key by call order, so that of concurrent `put`s to
 * one URL the one called last wins (Miniflare lets the one that *commits* last win). A write
 * takes its turn synchronously when called, streams its body into a new blob in parallel with
 * every other write, and waits for the previous write to the key only to commit.
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
