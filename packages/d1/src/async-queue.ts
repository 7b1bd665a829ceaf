/**
 * A first-in, first-out queue of asynchronous tasks. D1 requests normally run at once (they are
 * synchronous underneath); the queue is used only while something must hold the database across
 * awaits (an export, an import, a request waiting out another process's lock), so requests that
 * arrive meanwhile run afterwards, in the order they were made.
 */
export class AsyncQueue {
  #tail: Promise<void> | undefined;
  #pending = 0;

  /** True when no task is queued or running. */
  get idle(): boolean {
    return this.#pending === 0;
  }

  /** Run `task` after every task queued before it; resolves or rejects as it does. */
  run<T>(task: () => Promise<T> | T): Promise<T> {
    this.#pending++;
    const result = (this.#tail ?? Promise.resolve()).then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tail = tail;
    void tail.then(() => {
      this.#pending--;
      if (this.#tail === tail) this.#tail = undefined;
    });
    return result;
  }

  /** Wait for the queue's turn and hold it until the returned function is called. */
  acquire(): Promise<() => void> {
    return new Promise((resolve) => {
      void this.run(
        () =>
          new Promise<void>((release) => {
            resolve(release);
          }),
      );
    });
  }
}
