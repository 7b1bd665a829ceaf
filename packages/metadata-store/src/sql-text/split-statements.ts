import { isGapSpace } from "./sql-chars.js";
import { StatementScanner, type StatementSpan } from "./statement-scanner.js";

/** What {@link splitStatements} found. */
export interface SplitStatements {
  /** Every statement, in order; comments and empty statements (`;;`) alone are none. */
  readonly statements: StatementSpan[];
  /**
   * Text after the last statement that holds no statement but is not just whitespace: a comment
   * or a stray `;`. SQLite (through workerd) reports "SQL code did not contain a statement." for it.
   */
  readonly trailing: { readonly start: number; readonly end: number } | undefined;
}

/**
 * Split a complete SQL text into statements, as SQLite's prepare loop walks it: each
 * statement's span, offsets in UTF-16 code units. See {@link StatementScanner} for the rules.
 */
export function splitStatements(text: string): SplitStatements {
  const statements: StatementSpan[] = [];
  const scanner = new StatementScanner();
  scanner.scan(text, true, (span) => statements.push(span));
  const rest = scanner.segmentStart;
  let trailing: SplitStatements["trailing"];
  for (let i = rest; i < text.length; i++) {
    if (!isGapSpace(text.charCodeAt(i))) {
      trailing = { start: rest, end: text.length };
      break;
    }
  }
  return { statements, trailing };
}
