import type { D1Core, RequestOutcome } from "./d1-core.js";
import { formatBookmark } from "./bookmark.js";
import { d1Error } from "./d1-errors.js";
import { CellarD1PreparedStatement, type SessionLink } from "./d1-prepared-statement.js";
import { exportResult, toD1Result } from "./d1-results.js";
import type { D1DatabaseSession, D1PreparedStatement, D1Result, D1SessionBookmark } from "./d1-types.js";
import type { D1Query } from "./request-executor.js";
import type { D1BoundValue } from "./d1-values.js";

const FIRST_PRIMARY = "first-primary";
const FIRST_UNCONSTRAINED = "first-unconstrained";

/** The error a D1 call rejects with, from a database object's failure. */
function toD1Error(error: unknown): Error {
  return d1Error(error instanceof Error ? error.message : String(error));
}

/** What `batch` reads from each statement: its SQL and bound values, as the binding does. */
interface BatchItem {
  readonly statement: string;
  readonly params: readonly D1BoundValue[];
}

/**
 * Requests through one session. The database's own `prepare`/`batch`/`exec` use a session that
 * ignores bookmarks (`trackBookmarks` false), as the binding's always-primary session does.
 */
export class CellarD1Session implements D1DatabaseSession, SessionLink {
  readonly #core: D1Core;
  readonly #trackBookmarks: boolean;
  #bookmarkOrConstraint: string;

  /** @internal Use `db.withSession(...)`. */
  constructor(core: D1Core, bookmarkOrConstraint: string, trackBookmarks = true) {
    this.#core = core;
    this.#bookmarkOrConstraint = bookmarkOrConstraint;
    this.#trackBookmarks = trackBookmarks;
  }

  /** A statement run in this session. */
  prepare(query: string): D1PreparedStatement {
    return new CellarD1PreparedStatement(this, String(query));
  }

  /** `statements` in one transaction: all commit, or none and the batch rejects. */
  batch<T = unknown>(statements: D1PreparedStatement[]): Promise<D1Result<T>[]> {
    const queries = (statements as unknown as BatchItem[]).map((item) => ({ sql: item.statement, params: item.params }));
    return this.run(queries, (outcome) =>
      outcome.kind === "export" ? [exportResult<T>(outcome)] : outcome.results.map((result) => toD1Result<T>(result)),
    );
  }

  /** The latest bookmark this session has seen, or `null` before its first query (or for a bare constraint). */
  getBookmark(): D1SessionBookmark | null {
    if (!this.#trackBookmarks) return null;
    const value = this.#bookmarkOrConstraint;
    return value === FIRST_PRIMARY || value === FIRST_UNCONSTRAINED ? null : value;
  }

  /**
   * @internal Run a request, keep its bookmark, and hand its outcome to `then`; failures reject
   * with the error D1 throws (`D1_ERROR: …`), as does an error `then` throws.
   */
  run<T>(queries: readonly D1Query[], then: (outcome: RequestOutcome) => T): Promise<T> {
    let pending: RequestOutcome | Promise<RequestOutcome>;
    try {
      pending = this.#core.run(queries);
    } catch (error) {
      return Promise.reject(toD1Error(error));
    }
    if (pending instanceof Promise) return this.#later(pending, then);
    try {
      return Promise.resolve(then(this.#keep(pending)));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** `run` for a request that settles later; apart from `run`, whose common path then creates no closure. */
  #later<T>(pending: Promise<RequestOutcome>, then: (outcome: RequestOutcome) => T): Promise<T> {
    return pending.then((outcome) => then(this.#keep(outcome)), (error: unknown) => Promise.reject(toD1Error(error)));
  }

  #keep(outcome: RequestOutcome): RequestOutcome {
    if (this.#trackBookmarks && outcome.kind === "results") this.#update(formatBookmark(outcome.bookmark));
    return outcome;
  }

  /** Keep `bookmark` if it is newer than the one held (bookmarks compare as strings, as the binding compares them). */
  #update(bookmark: string): void {
    const current = this.getBookmark();
    if (current === null || current.localeCompare(bookmark) < 0) this.#bookmarkOrConstraint = bookmark;
  }
}
