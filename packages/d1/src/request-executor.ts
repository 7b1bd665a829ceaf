import { SqlError, type SqlDatabase, type SqlValue } from "@cellar/metadata-store";
import { DatabaseMeta, type MetaSample } from "./database-meta.js";
import { D1_MESSAGES, D1QueryFailure, failureFromError, formatSqliteError, primaryCode } from "./d1-errors.js";
import { MAX_VALUE_BYTES, checkValueSize, toResultRow, toSqlValue, type D1BoundValue, type D1ResultValue } from "./d1-values.js";
import { rowShape, type QueryResult, type RowShape } from "./query-result.js";
import { PlanCache, reportedOffset, type QueryPlan, type StatementPlan } from "./query-plan.js";
import type { Denial } from "./sql/denial.js";
import { MAX_COLUMNS } from "./sql/statement-analysis.js";
import { refusalMessage } from "./refusal-message.js";
import { StatementCache, type CachedStatement } from "./statement-cache.js";

/** One query of a request: SQL text and the values bound to it. */
export interface D1Query {
  readonly sql: string;
  readonly params: readonly D1BoundValue[];
  /**
   * False when the caller never shows this query's `meta` (`first()`, `raw()`): its duration is
   * then not measured, sparing two clock reads, a noticeable share of a small read. Default true.
   */
  readonly timed?: boolean;
}

interface KeptQuery {
  readonly plan: QueryPlan;
  readonly params: readonly D1BoundValue[];
  readonly timed: boolean;
  /** Index in the request, for error attribution (exec line numbers). */
  readonly index: number;
}

/**
 * Runs D1 requests on one `SqlDatabase`, synchronously, as Miniflare's D1 database object does:
 * the comment filter, then every query of the request in one transaction (rolled back as a whole
 * on any error), each query's statements in order, and `meta` from the connection's counters.
 *
 * Each statement is checked against D1's rules (see `analyzeStatement`): limits SQLite checks
 * while parsing before the engine sees it, authorizer refusals after the engine has prepared it,
 * so that SQLite's own errors keep their precedence.
 */
export class RequestExecutor {
  readonly #database: SqlDatabase;
  readonly #plans = new PlanCache();
  readonly #statements: StatementCache;
  readonly #meta: DatabaseMeta;

  constructor(database: SqlDatabase) {
    this.#database = database;
    this.#statements = new StatementCache(database);
    this.#meta = new DatabaseMeta(database);
  }

  /** The database requests run on. */
  get database(): SqlDatabase {
    return this.#database;
  }

  /** Forget what was remembered about the database (after something else used the connection). */
  invalidate(): void {
    this.#meta.invalidate();
  }

  /**
   * Run one request; throws a {@link D1QueryFailure} (busy ones are marked, so the caller may
   * retry). `attempts` is reported as `meta.total_attempts`. `wrote` is false for a lone read,
   * which has nothing to flush.
   */
  execute(queries: readonly D1Query[], attempts: number): { results: QueryResult[]; wrote: boolean } {
    if (queries.length === 1) {
      // A lone read needs no write transaction: nothing to roll back, and no write lock to take
      // from other processes.
      const query = queries[0]!;
      const plan = this.#plans.get(query.sql);
      if (plan.readOnly) return { results: [this.#run(plan, query.params, query.timed !== false, 0, attempts, true)], wrote: false };
    }
    return { results: this.#executeInTransaction(queries, attempts), wrote: true };
  }

  /**
   * Every query of the request in one write transaction. Kept apart from `execute` because its
   * closures capture the parameters, which would cost a lone read an allocation on every call.
   */
  #executeInTransaction(queries: readonly D1Query[], attempts: number): QueryResult[] {
    const kept: KeptQuery[] = [];
    for (let index = 0; index < queries.length; index++) {
      const query = queries[index]!;
      const plan = this.#plans.get(query.sql);
      if (!plan.filtered) kept.push({ plan, params: query.params, timed: query.timed !== false, index });
    }
    if (kept.length === 0) throw new D1QueryFailure(D1_MESSAGES.noStatements);
    let committing = false;
    try {
      return this.#database.transaction(() => {
        const done = kept.map((query) => this.#run(query.plan, query.params, query.timed, query.index, attempts, false));
        committing = true;
        return done;
      });
    } catch (error) {
      // The counters sampled inside the rolled-back transaction no longer hold.
      this.#meta.invalidate();
      if (committing && error instanceof SqlError && error.sqliteCode !== undefined && primaryCode(error.sqliteCode) === "SQLITE_CONSTRAINT") {
        // A deferred constraint failed at COMMIT: workerd resets the object and says so.
        throw new D1QueryFailure(D1_MESSAGES.constraintReset + formatSqliteError(error.message, error.sqliteCode), { cause: error });
      }
      throw failureFromError(error);
    }
  }

  /** Run one query; `index` is its place in the request, for error attribution (exec line numbers). */
  #run(plan: QueryPlan, params: readonly D1BoundValue[], timed: boolean, index: number, attempts: number, readOnly: boolean): QueryResult {
    try {
      return this.#runQuery(plan, params, timed, attempts, readOnly);
    } catch (error) {
      throw failureFromError(error, index);
    }
  }

  #runQuery(plan: QueryPlan, params: readonly D1BoundValue[], timed: boolean, attempts: number, readOnly: boolean): QueryResult {
    if (plan.tooLong) throw new D1QueryFailure(formatSqliteError("statement too long", "SQLITE_TOOBIG"));
    const start = readOnly ? undefined : this.#meta.beforeWrite();
    const began = timed ? performance.now() : 0;
    let columns: string[] = [];
    let shape: RowShape | undefined;
    let rows: D1ResultValue[][] = [];
    const statements = plan.statements;
    for (let i = 0; i < statements.length; i++) {
      const statement = statements[i]!;
      // With text after the last statement, SQLite's loop treats it as an intermediate one.
      const last = i === statements.length - 1 && !plan.missingStatement;
      if (statement.parameterError !== undefined) {
        const { message, offset } = statement.parameterError;
        throw new D1QueryFailure(formatSqliteError(message, "SQLITE_ERROR", reportedOffset(plan, statement, offset)));
      }
      const early = statement.analysis.beforePrepare;
      if (early !== undefined) throw this.#refusal(plan, statement, early);
      const cached = this.#statements.prepare(statement.engineText);
      const prepared = cached.statement;
      const late = statement.analysis.afterPrepare;
      if (late !== undefined) throw this.#refusal(plan, statement, late);
      const names = prepared.reader ? this.#columnNames(cached) : [];
      if (names.length > MAX_COLUMNS) throw new D1QueryFailure(formatSqliteError("too many columns in result set", "SQLITE_ERROR"));
      if (!last) {
        if (statement.parameterCount > 0) throw new D1QueryFailure(D1_MESSAGES.multiStatementParameters);
        // workerd steps an intermediate statement once; a write completes on its first step.
        if (prepared.reader) prepared.get();
        else prepared.run();
        continue;
      }
      if (params.length !== statement.parameterCount) throw new D1QueryFailure(D1_MESSAGES.wrongBindings);
      const values = engineValues(statement, params);
      if (prepared.reader) {
        rows = prepared.all(...values) as D1ResultValue[][];
        for (let r = 0; r < rows.length; r++) toResultRow(rows[r]!);
        columns = names;
        shape = cached.shape;
      } else {
        prepared.run(...values);
      }
    }
    if (plan.missingStatement) throw new D1QueryFailure(D1_MESSAGES.noStatement);
    const duration = timed ? performance.now() - began : 0;
    let after: MetaSample;
    let changes = 0;
    let changed = false;
    if (start === undefined) {
      // A read changes nothing: its meta is the state as the last write left it.
      after = this.#meta.forRead();
    } else {
      ({ sample: after, changed } = this.#meta.afterWrite(start));
      changes = after.totalChanges - start.totalChanges;
    }
    return { columns, rows, shape, duration, changes, changed, after, attempts };
  }

  /** Result column names; read once for a statement whose names cannot change (see `CachedStatement`). */
  #columnNames(cached: CachedStatement): string[] {
    if (cached.names !== undefined) return cached.names;
    const names = cached.statement.columns().map((column) => column.name);
    if (!cached.statement.source.includes("*")) {
      cached.names = names;
      cached.shape = rowShape(names);
    }
    return names;
  }

  /** The failure for a statement D1's rules refuse, worded as workerd words it. */
  #refusal(plan: QueryPlan, statement: StatementPlan, denial: Denial): D1QueryFailure {
    return new D1QueryFailure(refusalMessage(this.#database, denial, (offset) => reportedOffset(plan, statement, offset)));
  }
}

/** The values for the engine: converted, size-checked and expanded for a rewritten statement. */
function engineValues(statement: StatementPlan, params: readonly D1BoundValue[]): SqlValue[] {
  const values = passThrough(params) ? (params as SqlValue[]) : params.map(convert);
  const order = statement.order;
  return order === undefined ? values : order.map((index) => values[index - 1]!);
}

/** True when every value binds as it is (the common case), so no copy is needed. */
function passThrough(params: readonly D1BoundValue[]): boolean {
  for (let i = 0; i < params.length; i++) {
    const value = params[i];
    if (typeof value === "number") {
      if (!Number.isFinite(value) || value === 0) return false;
    } else if (typeof value === "string") {
      if (value.length * 3 > MAX_VALUE_BYTES) return false;
    } else if (value !== null) {
      return false;
    }
  }
  return true;
}

function convert(param: D1BoundValue): SqlValue {
  const value = toSqlValue(param);
  checkValueSize(value);
  return value;
}
