import type { D1Core } from "./d1-core.js";
import { D1_MESSAGES } from "./d1-errors.js";
import { execQuery } from "./d1-exec.js";
import { CellarD1Session } from "./d1-session.js";
import type {
  D1DatabaseSession,
  D1ExecResult,
  D1PreparedStatement,
  D1Result,
  D1SessionBookmark,
  D1SessionConstraint,
} from "./d1-types.js";

/**
 * A Workers `D1Database` on a cellar SQLite database: `env.DB` for code under test or a tool.
 * Assignable to `D1Database` from `@cloudflare/workers-types`.
 */
export interface CellarD1Database {
  /** A statement; bind values with `bind`, run it with `first`, `all`, `run` or `raw`. */
  prepare(query: string): D1PreparedStatement;
  /** Statements in one transaction: all commit, or none and the batch rejects with `D1_ERROR: …`. */
  batch<T = unknown>(statements: D1PreparedStatement[]): Promise<D1Result<T>[]>;
  /** SQL text run line by line in one transaction (see `execSplitting`). */
  exec(query: string): Promise<D1ExecResult>;
  /** A session: queries through it keep a bookmark (`getBookmark()`). Empty means `first-unconstrained`. */
  withSession(constraintOrBookmark?: D1SessionBookmark | D1SessionConstraint): D1DatabaseSession;
  /** @deprecated Rejects with `D1_DUMP_ERROR: Status + 404`, as D1 does; use `exportD1`. */
  dump(): Promise<ArrayBuffer>;
}

/** The implementation behind `createD1Database`. */
export class D1DatabaseImpl implements CellarD1Database {
  readonly #core: D1Core;
  readonly #primary: CellarD1Session;
  readonly #execSplitting: "lines" | "statements";

  /** @internal Use `createD1Database`. */
  constructor(core: D1Core, execSplitting: "lines" | "statements") {
    this.#core = core;
    this.#primary = new CellarD1Session(core, "first-primary", false);
    this.#execSplitting = execSplitting;
  }

  prepare(query: string): D1PreparedStatement {
    return this.#primary.prepare(query);
  }

  batch<T = unknown>(statements: D1PreparedStatement[]): Promise<D1Result<T>[]> {
    return this.#primary.batch<T>(statements);
  }

  exec(query: string): Promise<D1ExecResult> {
    return execQuery(this.#core, query, this.#execSplitting);
  }

  withSession(constraintOrBookmark?: D1SessionBookmark | D1SessionConstraint): D1DatabaseSession {
    let value = constraintOrBookmark?.trim();
    if (value === undefined || value === "") value = "first-unconstrained";
    return new CellarD1Session(this.#core, value);
  }

  async dump(): Promise<ArrayBuffer> {
    throw new Error(D1_MESSAGES.dump, { cause: new Error("Status 404") });
  }
}
