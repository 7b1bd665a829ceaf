import { SqlLexer, TokenKind } from "@cellar/metadata-store";

/** D1's limit on bound parameters per statement (workerd's `SQLITE_LIMIT_VARIABLE_NUMBER`). */
export const MAX_PARAMETERS = 100;

/** The parameters of one statement, numbered as SQLite numbers them. */
export interface StatementParameters {
  /** The highest parameter index: how many values D1 expects (`sqlite3_bind_parameter_count`). */
  readonly count: number;
  /**
   * The statement with every parameter written as a plain `?`, and which D1 value (1-based index)
   * each one takes, in order; `undefined` when the statement already uses only plain `?`s, so the
   * text and the values pass through unchanged.
   */
  readonly rewrite: { readonly text: string; readonly order: readonly number[] } | undefined;
  /**
   * SQLite's prepare error for a parameter beyond the limit: its message and the offset of the
   * offending token in the statement text.
   */
  readonly error: { readonly message: string; readonly offset: number } | undefined;
}

/**
 * Number the parameters of one statement exactly as `sqlite3ExprAssignVarNumber` does: `?` takes
 * the next index; `?NNN` takes NNN (which must be 1…100); `:a`, `@a`, `$a` take the next index
 * the first time a name appears and the same one afterwards. D1 binds its values by position, so
 * `?3` and `:name` are filled by position too.
 *
 * The engines under cellar bind `?NNN` and names by key, so statements using them are rewritten
 * to plain `?`s in order, each taking the value of its original index. That keeps D1's
 * positional semantics whatever the engine, without asking it about parameter names.
 */
export function statementParameters(text: string): StatementParameters {
  const lexer = new SqlLexer(text);
  const names = new Map<string, number>();
  const occurrences: { start: number; end: number; index: number }[] = [];
  let count = 0;
  let plain = true;
  let error: StatementParameters["error"];
  while (lexer.next()) {
    if (lexer.kind !== TokenKind.Variable) continue;
    const { start, end } = lexer;
    const first = text.charCodeAt(start);
    let index: number;
    if (first === 63 /* ? */) {
      if (end - start === 1) {
        index = ++count;
      } else {
        plain = false;
        const digits = text.slice(start + 1, end);
        const number = digits.length > 12 ? Number.POSITIVE_INFINITY : Number(digits);
        if (!(number >= 1 && number <= MAX_PARAMETERS)) {
          error ??= { message: `variable number must be between ?1 and ?${MAX_PARAMETERS}`, offset: start };
          continue;
        }
        index = number;
        if (index > count) count = index;
      }
    } else if (first === 35 /* # */ && end - start > 1 && text.charCodeAt(start + 1) >= 48 && text.charCodeAt(start + 1) <= 57) {
      // `#1` is SQLite's internal register syntax: a syntax error outside nested parses, left for the engine to report.
      continue;
    } else {
      plain = false;
      const name = text.slice(start, end);
      const known = names.get(name);
      if (known === undefined) {
        index = ++count;
        names.set(name, index);
      } else {
        index = known;
      }
    }
    if (index > MAX_PARAMETERS) {
      error ??= { message: "too many SQL variables", offset: start };
      continue;
    }
    occurrences.push({ start, end, index });
  }
  if (plain) return { count, rewrite: undefined, error };
  let rewritten = "";
  let from = 0;
  for (const occurrence of occurrences) {
    rewritten += text.slice(from, occurrence.start) + "?";
    from = occurrence.end;
  }
  rewritten += text.slice(from);
  return { count, rewrite: { text: rewritten, order: occurrences.map((occurrence) => occurrence.index) }, error };
}
