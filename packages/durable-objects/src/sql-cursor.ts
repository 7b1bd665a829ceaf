import { MESSAGES } from "./messages.js";
import type { SqlStorageValue } from "./sql-values.js";

/** What one `exec` produced: the last statement's columns and rows, and the counters. */
export interface CursorResult {
  readonly columnNames: string[];
  readonly rows: SqlStorageValue[][];
  readonly rowsRead: number;
  readonly rowsWritten: number;
}

/**
 * The cursor `sql.exec` returns. The statement has already run (exec is eager, so writes happen
 * even if the cursor is never read); the cursor hands out its rows once, as objects or (`raw()`)
 * arrays, from whichever read comes first.
 */
export class SqlStorageCursor<T extends Record<string, SqlStorageValue> = Record<string, SqlStorageValue>> {
  readonly #result: CursorResult | undefined;
  #position = 0;

  /** Cursors come from `sql.exec`; constructing one directly gives an empty cursor. */
  constructor(result?: CursorResult) {
    this.#result = result;
  }

  /** The result column names, in order (duplicates kept). */
  get columnNames(): string[] {
    return [...(this.#result?.columnNames ?? [])];
  }

  /** Rows the query read (see the README for how this approximates workerd's count). */
  get rowsRead(): number {
    return this.#result?.rowsRead ?? 0;
  }

  /** Rows the query wrote (see the README for how this approximates workerd's count). */
  get rowsWritten(): number {
    return this.#result?.rowsWritten ?? 0;
  }

  /** Always false here: every `exec` prepares its statements afresh. */
  get reusedCachedQueryForTest(): boolean {
    return false;
  }

  /** The next row as an object; when names repeat, the last column wins, as in workerd. */
  next(): IteratorResult<T, undefined> {
    const row = this.#take();
    return row === undefined ? { done: true, value: undefined } : { done: false, value: this.#object(row) };
  }

  /** Every remaining row as objects. */
  toArray(): T[] {
    const rows: T[] = [];
    for (let row = this.#take(); row !== undefined; row = this.#take()) rows.push(this.#object(row));
    return rows;
  }

  /** Exactly one row, or an error naming what was found instead. */
  one(): T {
    const row = this.#take();
    if (row === undefined) throw new Error(MESSAGES.oneNoResults);
    if (this.#take() !== undefined) throw new Error(MESSAGES.oneManyResults);
    return this.#object(row);
  }

  /** The remaining rows as arrays of values (duplicate column names kept). */
  *raw<U extends SqlStorageValue[]>(): IterableIterator<U> {
    for (let row = this.#take(); row !== undefined; row = this.#take()) yield row as U;
  }

  [Symbol.iterator](): IterableIterator<T> {
    return {
      next: () => this.next() as IteratorResult<T>,
      [Symbol.iterator]() {
        return this;
      },
    };
  }

  #take(): SqlStorageValue[] | undefined {
    const rows = this.#result?.rows;
    if (rows === undefined || this.#position >= rows.length) return undefined;
    return rows[this.#position++];
  }

  #object(row: SqlStorageValue[]): T {
    const object: Record<string, SqlStorageValue> = {};
    this.#result!.columnNames.forEach((name, index) => (object[name] = row[index] ?? null));
    return object as T;
  }
}
