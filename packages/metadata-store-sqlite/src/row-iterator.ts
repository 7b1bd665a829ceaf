import { DatabaseClosedError } from "@cellar/metadata-store";
import type { StatementContext } from "./sqlite-statement.js";

/**
 * Wraps better-sqlite3's row iterator so a failure mid-iteration is a `SqlError` too, and so
 * `close()` can end it first. Internal to this package.
 */
export class RowIterator<Row> implements IterableIterator<Row> {
  readonly #rows: IterableIterator<Row>;
  readonly #context: StatementContext;
  #closed = false;

  constructor(rows: IterableIterator<Row>, context: StatementContext) {
    this.#rows = rows;
    this.#context = context;
  }

  /** The next row; throws `DatabaseClosedError` once the database was closed. */
  next(): IteratorResult<Row> {
    if (this.#closed) throw new DatabaseClosedError(this.#context.location);
    try {
      const result = this.#rows.next();
      if (result.done === true) this.#context.iterators.delete(this);
      return result;
    } catch (error) {
      this.#context.iterators.delete(this);
      throw this.#context.fail(error);
    }
  }

  /** Stop early, releasing the statement. */
  return(): IteratorResult<Row> {
    this.#context.iterators.delete(this);
    return this.#rows.return?.() ?? { done: true, value: undefined };
  }

  /** Called by `close()`: release the statement; later `next()` calls throw `DatabaseClosedError`. */
  end(): void {
    this.#closed = true;
    this.return();
  }

  [Symbol.iterator](): IterableIterator<Row> {
    return this;
  }
}
