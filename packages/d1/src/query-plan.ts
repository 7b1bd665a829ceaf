import { splitStatements } from "@cellar/metadata-store";
import { analyzeStatement, type StatementAnalysis } from "./sql/statement-analysis.js";
import { statementParameters } from "./sql/statement-parameters.js";

/** D1's limit on the SQL text of one query, in UTF-8 bytes (workerd's `SQLITE_LIMIT_SQL_LENGTH`). */
export const MAX_SQL_BYTES = 100_000;

/** One statement of a query, ready to run. */
export interface StatementPlan {
  /** The text the engine prepares: from the statement's first token to its `;`, parameters as plain `?`. */
  readonly engineText: string;
  /** For each `?` of `engineText`, the 1-based index of the D1 value it takes; undefined: the values in order. */
  readonly order: readonly number[] | undefined;
  /** How many values D1 expects for it. */
  readonly parameterCount: number;
  /** A parameter-limit error SQLite raises while preparing, and the offset it reports. */
  readonly parameterError: { readonly message: string; readonly offset: number } | undefined;
  /** What D1's rules say about it. */
  readonly analysis: StatementAnalysis;
  /**
   * Where SQLite starts preparing it in the query text (after the previous statement) and where
   * its first token is, to turn offsets in the statement into the offsets workerd reports.
   */
  readonly prepareStart: number;
  readonly contentStart: number;
}

/** A query (one SQL string) split and analysed; cached per SQL text. */
export interface QueryPlan {
  /** The query text. */
  readonly sql: string;
  /** True when D1's comment filter drops the query (it is blank, or only indented `--` comments). */
  readonly filtered: boolean;
  /** True when the text is longer than {@link MAX_SQL_BYTES}. */
  readonly tooLong: boolean;
  /** Its statements, in order. */
  readonly statements: readonly StatementPlan[];
  /**
   * True when SQLite would find no statement to prepare at some point: the text has none, or
   * something other than whitespace (a comment, a stray `;`) follows the last one.
   */
  readonly missingStatement: boolean;
  /** True for one statement that cannot write, which may run without a write transaction. */
  readonly readOnly: boolean;
}

/**
 * Miniflare's filter (`query.sql.replace(/^\s+--.*\/gm, "").trim().length > 0`): lines that are
 * an indented `--` comment are removed, and a query left empty is dropped. A comment at the very
 * start of the text is not indented, so it is not removed (Q4, kept as local D1 behaves).
 */
export function isFilteredOut(sql: string): boolean {
  return sql.replace(/^\s+--.*/gm, "").trim().length === 0;
}

function utf8Length(text: string): number {
  // A UTF-16 code unit is at most 3 UTF-8 bytes: most texts need no measuring.
  return text.length * 3 <= MAX_SQL_BYTES ? text.length : Buffer.byteLength(text, "utf8");
}

/** Split and analyse one query text. */
export function planQuery(sql: string): QueryPlan {
  const filtered = isFilteredOut(sql);
  const tooLong = utf8Length(sql) > MAX_SQL_BYTES;
  if (filtered || tooLong) return { sql, filtered, tooLong, statements: [], missingStatement: false, readOnly: false };
  const split = splitStatements(sql);
  const statements = split.statements.map((span): StatementPlan => {
    const text = sql.slice(span.contentStart, span.end);
    const parameters = statementParameters(text);
    return {
      engineText: parameters.rewrite?.text ?? text,
      order: parameters.rewrite?.order,
      parameterCount: parameters.count,
      parameterError: parameters.error,
      analysis: analyzeStatement(text),
      prepareStart: span.start,
      contentStart: span.contentStart,
    };
  });
  const missingStatement = statements.length === 0 || split.trailing !== undefined;
  const readOnly = statements.length === 1 && !missingStatement && statements[0]!.analysis.readOnly;
  return { sql, filtered, tooLong, statements, missingStatement, readOnly };
}

/**
 * The offset workerd appends to an error (`… at offset N`): UTF-8 bytes from where SQLite began
 * preparing the statement to the offending token (`offset` counts from the statement's first token).
 */
export function reportedOffset(plan: QueryPlan, statement: StatementPlan, offset: number): number {
  return Buffer.byteLength(plan.sql.slice(statement.prepareStart, statement.contentStart + offset), "utf8");
}

/** A small LRU cache of plans, so a repeated query is split and analysed once. */
export class PlanCache {
  readonly #plans = new Map<string, QueryPlan>();
  readonly #capacity: number;
  /** Texts longer than this are planned every time rather than kept. */
  readonly #maxLength: number;

  constructor(capacity = 256, maxLength = 16_384) {
    this.#capacity = capacity;
    this.#maxLength = maxLength;
  }

  /** The plan of `sql`, from the cache or freshly made. */
  get(sql: string): QueryPlan {
    const plans = this.#plans;
    const cached = plans.get(sql);
    if (cached !== undefined) return cached;
    const plan = planQuery(sql);
    if (sql.length <= this.#maxLength) {
      if (plans.size >= this.#capacity) plans.delete(plans.keys().next().value as string);
      plans.set(sql, plan);
    }
    return plan;
  }
}
