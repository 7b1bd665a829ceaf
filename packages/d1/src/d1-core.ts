import type { SqlDatabase } from "@cellar/metadata-store";
import { AsyncQueue } from "./async-queue.js";
import { BookmarkCounter } from "./bookmark.js";
import { D1QueryFailure, failureFromError } from "./d1-errors.js";
import { dumpStatements } from "./export/dump-statements.js";
import type { QueryResult } from "./query-result.js";
import { RequestExecutor, type D1Query } from "./request-executor.js";

/** The SQL `wrangler d1 export --local` sends; its parameters are `[noSchema, noData, ...tables]`. */
export const EXPORT_PRAGMA = "PRAGMA miniflare_d1_export(?,?,?);";

/** What a successful request produced. */
export type RequestOutcome =
  | {
      readonly kind: "results";
      readonly results: QueryResult[];
      /** The request's commit token, as a counter (see `formatBookmark`). */
      readonly bookmark: number;
      /** False for a lone read: nothing to flush. */
      readonly wrote: boolean;
    }
  /** The export PRAGMA's reply: every statement of the export, and no bookmark. */
  | { readonly kind: "export"; readonly statements: string[] };

/** Settings of a {@link D1Core}. */
export interface D1CoreOptions {
  /** How long to keep retrying a request while another process holds the database's lock. */
  readonly busyRetryMs: number;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The database object behind a D1 binding: runs requests in order, retries them while another
 * process holds the write lock (Q2: never a crash, never a lost commit; after `busyRetryMs`,
 * `database is locked: SQLITE_BUSY`), hands out bookmarks, and resolves only after
 * `database.flush()`, so a resolved write survives the process being killed.
 */
export class D1Core {
  readonly #database: SqlDatabase;
  readonly #executor: RequestExecutor;
  readonly #queue = new AsyncQueue();
  readonly #bookmarks: BookmarkCounter;
  readonly #options: D1CoreOptions;

  constructor(database: SqlDatabase, options: D1CoreOptions) {
    this.#database = database;
    this.#executor = new RequestExecutor(database);
    this.#bookmarks = new BookmarkCounter(database);
    this.#options = options;
  }

  /** The database the requests run on. */
  get database(): SqlDatabase {
    return this.#database;
  }

  /** How long requests wait out another process's lock, in milliseconds. */
  get busyRetryMs(): number {
    return this.#options.busyRetryMs;
  }

  /** Run one request (a statement, a batch, an exec); rejects with a {@link D1QueryFailure}. */
  request(queries: readonly D1Query[]): Promise<RequestOutcome> {
    try {
      return Promise.resolve(this.run(queries));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Run one request, synchronously when nothing needs waiting for: the outcome itself for a lone
   * read, else a promise that settles once the writes are flushed (or once another process's
   * lock is gone, or the queue's turn came). Throws a {@link D1QueryFailure} synchronously when
   * the request fails at once. The D1 API's methods build on this so that the common case costs
   * a single promise.
   */
  run(queries: readonly D1Query[]): RequestOutcome | Promise<RequestOutcome> {
    if (!this.#queue.idle) return this.#enqueue(queries, 0);
    let outcome: RequestOutcome;
    try {
      outcome = this.#attempt(queries, 1);
    } catch (error) {
      if (error instanceof D1QueryFailure && error.busy) return this.#enqueue(queries, 1);
      throw error;
    }
    return this.#settle(outcome);
  }

  /**
   * Run the request in the queue's turn, retrying while the database is locked. A method of its
   * own so that `run` creates no closure: one capturing `queries` would cost every request an
   * allocation.
   */
  #enqueue(queries: readonly D1Query[], attemptsSoFar: number): Promise<RequestOutcome> {
    return this.#queue.run(() => this.#persist(queries, attemptsSoFar));
  }

  /** Hold the database for an export or an import: requests wait until `release` is called. */
  acquire(): Promise<() => void> {
    return this.#queue.acquire();
  }

  /** Tell the database object its connection was used directly (an import), so it samples afresh. */
  invalidate(): void {
    this.#executor.invalidate();
  }

  #attempt(queries: readonly D1Query[], attempts: number): RequestOutcome {
    const only = queries[0];
    if (queries.length === 1 && only !== undefined && only.sql === EXPORT_PRAGMA && only.params.length >= 2) {
      return { kind: "export", statements: this.#exportStatements(only.params) };
    }
    const { results, wrote } = this.#executor.execute(queries, attempts);
    return { kind: "results", results, bookmark: this.#bookmarks.next(), wrote };
  }

  /** The outcome once the request's writes are durable: after `flush()`, which a lone read does not need. */
  #settle(outcome: RequestOutcome): RequestOutcome | Promise<RequestOutcome> {
    if (outcome.kind === "results" && !outcome.wrote) return outcome;
    return this.#database.flush().then(
      () => outcome,
      (error: unknown) => {
        throw failureFromError(error);
      },
    );
  }

  /** Retry a request whose database another process keeps locked, backing off between attempts. */
  async #persist(queries: readonly D1Query[], attemptsSoFar: number): Promise<RequestOutcome> {
    const deadline = performance.now() + this.#options.busyRetryMs;
    let attempts = attemptsSoFar;
    let delay = 5;
    for (;;) {
      if (attempts > 0) {
        await sleep(delay);
        delay = Math.min(delay * 2, 100);
      }
      attempts++;
      try {
        return await this.#settle(this.#attempt(queries, attempts));
      } catch (error) {
        if (!(error instanceof D1QueryFailure && error.busy) || performance.now() >= deadline) throw error;
      }
    }
  }

  /** Miniflare's local-only export PRAGMA: the whole export, from one consistent snapshot. */
  #exportStatements(params: readonly unknown[]): string[] {
    const [noSchema, noData, ...tables] = params;
    const database = this.#database;
    const began = !database.inTransaction;
    try {
      if (began) database.exec("BEGIN");
      try {
        return Array.from(
          dumpStatements(database, { noSchema: Boolean(noSchema), noData: Boolean(noData), tables: tables.map(String) }),
        );
      } finally {
        if (began && database.inTransaction) database.exec("COMMIT");
      }
    } catch (error) {
      throw failureFromError(error);
    }
  }
}
