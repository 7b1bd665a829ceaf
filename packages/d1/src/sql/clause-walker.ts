import { TokenKind } from "@cellar/metadata-store";
import { ALLOWED_FUNCTIONS } from "./allowed-functions.js";
import type { Denial } from "./denial.js";
import { EXPRESSION_KEYWORDS, FROM_CLAUSE_END, FUNCTION_KEYWORDS, SQLITE_KEYWORDS, WRITE_VERBS } from "./sql-keywords.js";
import type { TokenList } from "./token-list.js";

/** D1's limit on a function's arguments (Q7: the documented 32, where workerd allows 127). */
export const MAX_FUNCTION_ARGUMENTS = 32;
/** workerd's `SQLITE_LIMIT_COMPOUND_SELECT`: terms of one `UNION`/`INTERSECT`/`EXCEPT` chain. */
export const MAX_COMPOUND_TERMS = 5;

/** What the walk reports to, and asks of, the statement's analysis. */
export interface WalkSink {
  /** Judge the (possibly schema-qualified) table name at `index`; returns the index after it. */
  checkName(index: number, access: "read" | "write"): number;
  /** Record a refusal of the authorizer's kind. */
  deny(denial: Denial): void;
  /** Record an error SQLite raises while parsing. */
  parseFailure(message: string, offset: number | undefined): void;
  /** Name tokens followed by `(` that are not function calls (the table of `CREATE INDEX … ON t(…)`). */
  readonly notFunctions: ReadonlySet<number>;
}

interface Frame {
  /** Set when this parenthesis holds a function call's arguments. */
  func: { readonly written: string; readonly offset: number; commas: number; readonly empty: boolean } | undefined;
  /** Set inside a FROM clause (or a parenthesised join) at this depth. */
  from: { expectTable: boolean } | undefined;
  /** Compound operators seen in the SELECT chain at this depth. */
  compound: number;
}

/**
 * Walk every token from `index` with a stack of parenthesis frames, finding table references
 * (FROM/JOIN lists, `INTO`, `UPDATE`, `DELETE FROM`, `IN table`), function calls, argument
 * counts and compound SELECT chains. Returns whether a write verb appears at the top level.
 */
export function walkClauses(tokens: TokenList, index: number, sink: WalkSink): boolean {
  const frames: Frame[] = [{ func: undefined, from: undefined, compound: 0 }];
  let pendingFunction: { written: string; offset: number } | undefined;
  let writesAtTop = false;
  for (let k = index; k < tokens.length; k++) {
    const kind = tokens.kind(k);
    const frame = frames[frames.length - 1]!;
    switch (kind) {
      case TokenKind.LeftParen: {
        const inner: Frame = { func: undefined, from: undefined, compound: 0 };
        if (pendingFunction !== undefined) {
          const next = tokens.kind(k + 1);
          const star = next === TokenKind.Operator && tokens.textOf(k + 1) === "*" && tokens.kind(k + 2) === TokenKind.RightParen;
          inner.func = { ...pendingFunction, commas: 0, empty: next === TokenKind.RightParen || star };
          pendingFunction = undefined;
        } else if (frame.from?.expectTable) {
          // A subquery, or a parenthesised join whose items are tables again.
          frame.from.expectTable = false;
          const first = tokens.word(k + 1);
          if (first !== "SELECT" && first !== "WITH" && first !== "VALUES") inner.from = { expectTable: true };
        }
        frames.push(inner);
        continue;
      }
      case TokenKind.RightParen: {
        if (frames.length > 1) {
          const closed = frames.pop()!;
          if (closed.func !== undefined) {
            const count = closed.func.empty ? 0 : closed.func.commas + 1;
            if (count > MAX_FUNCTION_ARGUMENTS) sink.parseFailure(`too many arguments on function ${closed.func.written}`, closed.func.offset);
          }
        }
        continue;
      }
      case TokenKind.Comma:
        if (frame.func !== undefined) frame.func.commas++;
        else if (frame.from !== undefined) frame.from.expectTable = true;
        continue;
      case TokenKind.Semicolon:
        // Between the statements of a trigger body.
        frame.from = undefined;
        frame.compound = 0;
        continue;
      case TokenKind.Word:
      case TokenKind.QuotedId:
      case TokenKind.String:
        break;
      default:
        continue;
    }

    if (frame.from?.expectTable) {
      frame.from.expectTable = false;
      k = sink.checkName(k, "read") - 1;
      continue;
    }

    const word = tokens.word(k);
    if (word !== "") {
      if (frames.length === 1 && WRITE_VERBS.has(word) && tokens.kind(k + 1) !== TokenKind.LeftParen) writesAtTop = true;
      if (FROM_CLAUSE_END.has(word)) frame.from = undefined;
      switch (word) {
        case "FROM": {
          const before = tokens.word(k - 1);
          if (before === "DELETE") {
            k = sink.checkName(k + 1, "write") - 1;
          } else if (before === "DISTINCT" && (tokens.word(k - 2) === "IS" || (tokens.word(k - 2) === "NOT" && tokens.word(k - 3) === "IS"))) {
            // `a IS [NOT] DISTINCT FROM b` is a comparison, not a FROM clause.
          } else {
            frame.from = { expectTable: true };
          }
          continue;
        }
        case "JOIN":
          if (frame.from !== undefined) frame.from.expectTable = true;
          continue;
        case "UNION":
        case "INTERSECT":
        case "EXCEPT":
          frame.compound++;
          if (frame.compound + 1 > MAX_COMPOUND_TERMS) sink.parseFailure("too many terms in compound SELECT", undefined);
          continue;
        case "INTO":
          k = sink.checkName(k + 1, "write") - 1;
          continue;
        case "UPDATE": {
          const next = tokens.word(k + 1);
          if (next === "SET" || next === "OF" || next === "ON") continue; // upsert, or a trigger's event
          const target = next === "OR" ? k + 3 : k + 1;
          k = sink.checkName(target, "write") - 1;
          continue;
        }
        case "IN":
          // `x IN table` reads the table; `x IN (…)` is a list or subquery.
          if (tokens.isName(k + 1) && !SQLITE_KEYWORDS.has(tokens.word(k + 1))) k = sink.checkName(k + 1, "read") - 1;
          continue;
        default:
          break;
      }
    }

    if (isFunctionCall(tokens, k, frame, sink.notFunctions)) {
      const name = tokens.name(k);
      if (!ALLOWED_FUNCTIONS.has(name.toLowerCase())) sink.deny({ kind: "function", name, offset: tokens.start(k) });
      pendingFunction = { written: tokens.textOf(k), offset: tokens.start(k) };
    }
  }
  return writesAtTop;
}

/** Whether the name at `k` calls a function: `name(` where an expression may start, and not a CTE. */
function isFunctionCall(tokens: TokenList, k: number, frame: Frame, notFunctions: ReadonlySet<number>): boolean {
  const kind = tokens.kind(k);
  if (tokens.kind(k + 1) !== TokenKind.LeftParen || notFunctions.has(k)) return false;
  if (kind === TokenKind.String) return false;
  const word = tokens.word(k);
  if (kind === TokenKind.Word && SQLITE_KEYWORDS.has(word) && !FUNCTION_KEYWORDS.has(word)) return false;
  switch (tokens.kind(k - 1)) {
    case TokenKind.Operator:
    case TokenKind.LeftParen:
      break;
    case TokenKind.Comma:
      if (frame.from !== undefined) return false;
      break;
    case TokenKind.Word:
      if (!EXPRESSION_KEYWORDS.has(tokens.word(k - 1))) return false;
      break;
    default:
      return false;
  }
  // `WITH a AS (…), b(x, y) AS (…)`: a common table expression with a column list.
  const close = tokens.closing(k + 1);
  if (close !== -1 && tokens.word(close + 1) === "AS") {
    const after = close + 2;
    if (tokens.kind(after) === TokenKind.LeftParen || tokens.word(after) === "MATERIALIZED" || tokens.word(after) === "NOT") return false;
  }
  return true;
}
