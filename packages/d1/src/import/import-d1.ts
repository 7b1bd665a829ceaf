import type { SqlDatabase } from "@cellar/metadata-store";
import { coreOf } from "../create-d1-database.js";
import type { CellarD1Database } from "../d1-database.js";
import { D1_MESSAGES, failureFromError, type D1QueryFailure } from "../d1-errors.js";
import { refusalMessage } from "../refusal-message.js";
import { analyzeStatement } from "../sql/statement-analysis.js";
import { StatementStream, type StreamedStatement } from "./statement-stream.js";
import { textChunks, type ImportD1Source } from "./import-source.js";

/** Progress of an import, reported after each batch. */
export interface ImportD1Progress {
  /** Bytes of the source read so far. */
  readonly bytes: number;
  /** Statements executed so far. */
  readonly statements: number;
}

/** Options of {@link importD1}. */
export interface ImportD1Options {
  /** Called after each batch of statements (and once at the end). It must not throw. */
  readonly onProgress?: (progress: ImportD1Progress) => void;
  /** Statements are run in batches of about this many characters. Default 1,048,576. */
  readonly batchSize?: number;
}

/** What {@link importD1} did. */
export interface ImportD1Result {
  /** Statements executed. */
  readonly statements: number;
  /** Bytes read from the source. */
  readonly bytes: number;
  /** Milliseconds the import took. */
  readonly duration: number;
}

/** An import failed; nothing of it was kept. */
export class D1ImportError extends Error {
  /** Stable code to branch on. */
  readonly code = "ERR_D1_IMPORT";
  /** The 1-based line the failing statement starts on. */
  readonly line: number;
  /** The failing statement (up to 200 characters). */
  readonly statement: string;
  constructor(line: number, statement: string, failure: string, cause?: unknown) {
    const shown = statement.length > 200 ? `${statement.slice(0, 200)}…` : statement;
    super(`D1_IMPORT_ERROR: Error in line ${line}: ${shown}: ${failure}`, { cause: cause ?? new Error(failure) });
    this.name = "D1ImportError";
    this.line = line;
    this.statement = shown;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Import SQL text into a D1 database: a `wrangler d1 export` file, or any SQL D1 accepts. The
 * source is streamed and split into statements as SQLite splits them, so a file of any size is
 * never held whole; statements run in batches, all in **one** transaction: if any statement
 * fails, nothing is kept and the promise rejects with a {@link D1ImportError} naming its line.
 *
 * Every statement is held to D1's rules (no `BEGIN`/`COMMIT`, allowed PRAGMAs only, no `_cf_`
 * tables, allowed functions), except the 100,000-byte statement limit: exports of rows with
 * large values write longer INSERTs, and those must import. Other requests on the database wait
 * until the import ends.
 *
 * @throws TypeError when `database` was not made by `createD1Database`
 */
export async function importD1(database: CellarD1Database, source: ImportD1Source, options: ImportD1Options = {}): Promise<ImportD1Result> {
  const core = coreOf(database);
  const batchSize = options.batchSize ?? 1_048_576;
  if (!Number.isSafeInteger(batchSize) || batchSize <= 0) throw new TypeError(`batchSize must be a positive integer, got ${String(batchSize)}`);
  const started = performance.now();
  const release = await core.acquire();
  const sql = core.database;
  let bytes = 0;
  let executed = 0;
  try {
    await begin(sql, core.busyRetryMs);
    try {
      const stream = new StatementStream();
      const runner = new BatchRunner(sql);
      const report = (): void => options.onProgress?.({ bytes, statements: executed });
      const take = (statements: StreamedStatement[]): void => {
        for (const statement of statements) {
          runner.add(statement);
          if (runner.size >= batchSize) {
            executed += runner.flush();
            report();
          }
        }
      };
      for await (const text of textChunks(source, (count) => (bytes += count))) take(stream.push(text));
      take(stream.push("", true));
      executed += runner.flush();
      commit(sql);
      report();
    } catch (error) {
      if (sql.inTransaction) sql.exec("ROLLBACK");
      throw error;
    }
    await sql.flush();
  } finally {
    core.invalidate();
    release();
  }
  return { statements: executed, bytes, duration: performance.now() - started };
}

/** `BEGIN IMMEDIATE`, waiting out another process's write lock for up to `retryMs`. */
async function begin(sql: SqlDatabase, retryMs: number): Promise<void> {
  const deadline = performance.now() + retryMs;
  let delay = 5;
  for (;;) {
    try {
      sql.exec("BEGIN IMMEDIATE");
      return;
    } catch (error) {
      const failure = failureFromError(error);
      if (!failure.busy || performance.now() >= deadline) throw new Error(`D1_ERROR: ${failure.message}`, { cause: error });
    }
    await sleep(delay);
    delay = Math.min(delay * 2, 100);
  }
}

function commit(sql: SqlDatabase): void {
  try {
    sql.exec("COMMIT");
  } catch (error) {
    const failure = failureFromError(error);
    throw new Error(`D1_IMPORT_ERROR: ${D1_MESSAGES.constraintReset}${failure.message}`, { cause: error });
  }
}

/**
 * Vets statements and runs them in batches: one `exec` per batch, inside a savepoint. When a
 * batch fails, it is run again statement by statement to find the one to blame and its error.
 */
class BatchRunner {
  readonly #sql: SqlDatabase;
  #batch: StreamedStatement[] = [];
  #size = 0;

  constructor(sql: SqlDatabase) {
    this.#sql = sql;
  }

  /** Characters waiting in the batch. */
  get size(): number {
    return this.#size;
  }

  /** Check `statement` against D1's rules and queue it. */
  add(statement: StreamedStatement): void {
    const analysis = analyzeStatement(statement.text);
    const denial = analysis.beforePrepare ?? analysis.afterPrepare;
    if (denial !== undefined || analysis.hasParameters) {
      // Statements before it come first: one of them may fail in the engine.
      this.flush();
      const failure = analysis.hasParameters && denial === undefined ? D1_MESSAGES.wrongBindings : refusalMessage(this.#sql, denial!, (offset) => offset);
      throw new D1ImportError(statement.line, statement.text, failure);
    }
    this.#batch.push(statement);
    this.#size += statement.text.length;
  }

  /** Run the queued statements; returns how many ran. */
  flush(): number {
    const batch = this.#batch;
    if (batch.length === 0) return 0;
    this.#batch = [];
    this.#size = 0;
    const sql = this.#sql;
    try {
      sql.transaction(() => sql.exec(batch.map((statement) => statement.text).join("\n")));
    } catch {
      sql.transaction(() => {
        for (const statement of batch) {
          try {
            sql.exec(statement.text);
          } catch (error) {
            const failure: D1QueryFailure = failureFromError(error);
            throw new D1ImportError(statement.line, statement.text, failure.message, error);
          }
        }
      });
    }
    return batch.length;
  }
}
