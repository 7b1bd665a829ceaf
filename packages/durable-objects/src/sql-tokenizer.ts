/**
 * A small SQLite tokenizer: enough to split a script into statements and to see each
 * statement's keywords, identifiers and parameters, which is what the runtime's SQL rules need
 * (the engines expose no authorizer). Self-contained on purpose, so it can be replaced by a
 * shared tokenizer without touching its callers.
 */

/** One token. `offset` is in UTF-16 code units from the start of the statement's text. */
export interface SqlToken {
  readonly kind: "word" | "quoted" | "string" | "blob" | "number" | "param" | "punct";
  /** The source text. */
  readonly text: string;
  /** Words upper-cased; quoted identifiers unquoted; parameters as written. */
  readonly value: string;
  readonly offset: number;
}

/** One statement of a script. */
export interface SqlStatementText {
  /** The statement, without its terminating `;`. */
  readonly text: string;
  /** Where it starts in the script. */
  readonly start: number;
  /** Its tokens, offsets relative to `text`. */
  readonly tokens: readonly SqlToken[];
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;

/** Splits a script into statements with at least one token; comments and blank statements are dropped. */
export function splitStatements(sql: string): SqlStatementText[] {
  const statements: SqlStatementText[] = [];
  let tokens: SqlToken[] = [];
  let start = -1;
  // Trigger bodies hold `;` between BEGIN and END; CASE ... END nests inside them.
  let blockDepth = 0;
  let isTrigger = false;
  const finish = (end: number): void => {
    if (tokens.length > 0) {
      const text = sql.slice(start, end);
      statements.push({ text, start, tokens: tokens.map((token) => ({ ...token, offset: token.offset - start })) });
    }
    tokens = [];
    start = -1;
    blockDepth = 0;
    isTrigger = false;
  };
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "-" && sql[i + 1] === "-") {
      const end = sql.indexOf("\n", i);
      i = end < 0 ? sql.length : end + 1;
      continue;
    }
    if (c === "/" && sql[i + 1] === "*") {
      const end = sql.indexOf("*/", i + 2);
      i = end < 0 ? sql.length : end + 2;
      continue;
    }
    if (c === ";" && blockDepth === 0) {
      finish(i);
      i++;
      continue;
    }
    if (start < 0) start = i;
    const token = readToken(sql, i);
    tokens.push(token);
    i = token.offset + token.text.length;
    if (token.kind === "word") {
      if (tokens.length <= 3 && token.value === "TRIGGER" && tokens[0]?.value === "CREATE") isTrigger = true;
      if (isTrigger && token.value === "BEGIN") blockDepth++;
      else if (blockDepth > 0 && token.value === "CASE") blockDepth++;
      else if (blockDepth > 0 && token.value === "END") blockDepth--;
    }
  }
  finish(sql.length);
  return statements;
}

function readToken(sql: string, i: number): SqlToken {
  const c = sql[i]!;
  if ((c === "x" || c === "X") && sql[i + 1] === "'") {
    const end = closing(sql, i + 1, "'");
    return { kind: "blob", text: sql.slice(i, end), value: sql.slice(i + 2, end - 1), offset: i };
  }
  if (c === "'") {
    const end = closing(sql, i, "'");
    return { kind: "string", text: sql.slice(i, end), value: sql.slice(i + 1, end - 1).replaceAll("''", "'"), offset: i };
  }
  if (c === '"' || c === "`") {
    const end = closing(sql, i, c);
    return { kind: "quoted", text: sql.slice(i, end), value: sql.slice(i + 1, end - 1).replaceAll(c + c, c), offset: i };
  }
  if (c === "[") {
    const close = sql.indexOf("]", i);
    const end = close < 0 ? sql.length : close + 1;
    return { kind: "quoted", text: sql.slice(i, end), value: sql.slice(i + 1, end - 1), offset: i };
  }
  if (c === "?") {
    let end = i + 1;
    while (end < sql.length && /[0-9]/.test(sql[end]!)) end++;
    return { kind: "param", text: sql.slice(i, end), value: sql.slice(i, end), offset: i };
  }
  if ((c === ":" || c === "@" || c === "$") && i + 1 < sql.length && WORD_PART.test(sql[i + 1]!)) {
    let end = i + 1;
    while (end < sql.length && (WORD_PART.test(sql[end]!) || (c === "$" && sql[end] === ":" && sql[end + 1] === ":"))) end += sql[end] === ":" ? 2 : 1;
    return { kind: "param", text: sql.slice(i, end), value: sql.slice(i, end), offset: i };
  }
  if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(sql[i + 1] ?? ""))) {
    let end = i + 1;
    while (end < sql.length && /[0-9A-Za-z_.]/.test(sql[end]!)) end++;
    return { kind: "number", text: sql.slice(i, end), value: sql.slice(i, end), offset: i };
  }
  if (WORD_START.test(c)) {
    let end = i + 1;
    while (end < sql.length && WORD_PART.test(sql[end]!)) end++;
    const text = sql.slice(i, end);
    return { kind: "word", text, value: text.toUpperCase(), offset: i };
  }
  const two = sql.slice(i, i + 2);
  const text = ["||", "<=", ">=", "==", "!=", "<>", "<<", ">>", "->"].includes(two) ? (sql.slice(i, i + 3) === "->>" ? "->>" : two) : c;
  return { kind: "punct", text, value: text, offset: i };
}

/** The index just past a quoted run starting at `i`, where a doubled quote escapes itself. */
function closing(sql: string, i: number, quote: string): number {
  let j = i + 1;
  for (;;) {
    const next = sql.indexOf(quote, j);
    if (next < 0) return sql.length;
    if (sql[next + 1] === quote) {
      j = next + 2;
      continue;
    }
    return next + 1;
  }
}
