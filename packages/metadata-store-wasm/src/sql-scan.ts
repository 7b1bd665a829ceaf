/**
 * A small scanner for SQLite SQL text: just enough of SQLite's tokenizer to find what sql.js
 * does not expose (its build exports no `sqlite3_bind_parameter_count/_name` or
 * `sqlite3_stmt_readonly`): the parameters, in SQLite's numbering, and whether a statement can
 * write. It skips string literals, quoted identifiers and comments exactly as SQLite does, so a
 * `?` or `:x` inside them is not a parameter.
 *
 * Nothing here decides what SQL means; the engine verifies the parameter count against SQLite
 * itself when it prepares a statement and falls back to sql.js's own binding if they disagree.
 */

/** What {@link scanSql} found. */
export interface SqlShape {
  /** The largest parameter index, as `sqlite3_bind_parameter_count` would report it. */
  readonly parameterCount: number;
  /**
   * Parameter names by index (1-based; index 0 is unused), with their prefix: `:a`, `@a`, `$a`
   * or `?3`. `undefined` for an anonymous `?` (and for unused indexes below a `?NNN`).
   */
  readonly names: readonly (string | undefined)[];
  /** The first keyword, upper-cased (`SELECT`, `INSERT`, `PRAGMA`, `WITH`, ...), or `""`. */
  readonly firstWord: string;
  /** True when the keyword RETURNING appears (outside literals and comments). */
  readonly returning: boolean;
}

/** Character codes the scanner compares against. */
const Char = {
  Tab: 9,
  Newline: 10,
  Return: 13,
  Space: 32,
  Quote: 39, // '
  DoubleQuote: 34, // "
  Dollar: 36,
  OpenParen: 40,
  CloseParen: 41,
  Star: 42,
  Minus: 45,
  Slash: 47,
  Colon: 58,
  Semicolon: 59,
  Question: 63,
  At: 64,
  OpenBracket: 91,
  CloseBracket: 93,
  Underscore: 95,
  Backtick: 96,
} as const;

function isIdentifierChar(code: number): boolean {
  return (
    (code >= 48 && code <= 57) ||
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122) ||
    code === Char.Underscore ||
    code === Char.Dollar ||
    code >= 0x80
  );
}

function isIdentifierStart(code: number): boolean {
  return isIdentifierChar(code) && code !== Char.Dollar && !(code >= 48 && code <= 57);
}

function isSpace(code: number): boolean {
  return code === Char.Space || code === Char.Tab || code === Char.Newline || code === Char.Return || code === 12 || code === 11;
}

/** Index just past the literal, identifier or comment that starts at `i`, or `i` if none does. */
function skipOpaque(sql: string, i: number): number {
  const code = sql.charCodeAt(i);
  const next = sql.charCodeAt(i + 1);
  if (code === Char.Minus && next === Char.Minus) {
    const end = sql.indexOf("\n", i + 2);
    return end === -1 ? sql.length : end + 1;
  }
  if (code === Char.Slash && next === Char.Star) {
    const end = sql.indexOf("*/", i + 2);
    return end === -1 ? sql.length : end + 2;
  }
  if (code === Char.Quote || code === Char.DoubleQuote || code === Char.Backtick) {
    // A doubled delimiter inside is an escaped delimiter.
    const delimiter = sql[i] as string;
    let j = i + 1;
    for (;;) {
      const end = sql.indexOf(delimiter, j);
      if (end === -1) return sql.length;
      if (sql.charCodeAt(end + 1) !== code) return end + 1;
      j = end + 2;
    }
  }
  if (code === Char.OpenBracket) {
    const end = sql.indexOf("]", i + 1);
    return end === -1 ? sql.length : end + 1;
  }
  return i;
}

/** Scan `sql` for parameters and the keywords that tell whether it can write. */
export function scanSql(sql: string): SqlShape {
  const names: (string | undefined)[] = [undefined];
  const indexByName = new Map<string, number>();
  let count = 0;
  let firstWord = "";
  let returning = false;
  let i = 0;
  while (i < sql.length) {
    const code = sql.charCodeAt(i);
    const skipped = skipOpaque(sql, i);
    if (skipped !== i) {
      i = skipped;
      continue;
    }
    if (code === Char.Question) {
      let j = i + 1;
      while (j < sql.length && sql.charCodeAt(j) >= 48 && sql.charCodeAt(j) <= 57) j++;
      if (j === i + 1) {
        count++;
        names[count] = undefined;
      } else {
        const index = Number(sql.slice(i + 1, j));
        if (index > count) count = index;
        names[index] = `?${index}`;
      }
      i = j;
      continue;
    }
    if ((code === Char.Colon || code === Char.At || code === Char.Dollar) && isIdentifierChar(sql.charCodeAt(i + 1))) {
      const j = endOfParameterName(sql, i + 1, code === Char.Dollar);
      const name = sql.slice(i, j);
      if (!indexByName.has(name)) {
        count++;
        indexByName.set(name, count);
        names[count] = name;
      }
      i = j;
      continue;
    }
    if (isIdentifierStart(code)) {
      let j = i + 1;
      while (j < sql.length && isIdentifierChar(sql.charCodeAt(j))) j++;
      const word = sql.slice(i, j).toUpperCase();
      if (firstWord === "") firstWord = word;
      else if (word === "RETURNING") returning = true;
      i = j;
      continue;
    }
    if (code >= 48 && code <= 57) {
      // A number (1, 1.5e3, 0x1F): consume it whole so its letters are not taken for words.
      let j = i + 1;
      while (j < sql.length && (isIdentifierChar(sql.charCodeAt(j)) || sql.charCodeAt(j) === 46)) j++;
      i = j;
      continue;
    }
    i++;
  }
  return { parameterCount: count, names, firstWord, returning };
}

/** SQLite's TCL-style `$name::part(suffix)` is one parameter name; `:name` and `@name` are plain. */
function endOfParameterName(sql: string, start: number, tclStyle: boolean): number {
  let j = start;
  for (;;) {
    while (j < sql.length && isIdentifierChar(sql.charCodeAt(j))) j++;
    if (!tclStyle) return j;
    if (sql.charCodeAt(j) === Char.Colon && sql.charCodeAt(j + 1) === Char.Colon) {
      j += 2;
      continue;
    }
    if (sql.charCodeAt(j) === Char.OpenParen) {
      const end = sql.indexOf(")", j + 1);
      return end === -1 ? j : end + 1;
    }
    return j;
  }
}

/**
 * True when `tail` (the text after a statement's end) holds only whitespace, comments and
 * semicolons: then the text was a single statement, as better-sqlite3 judges it.
 */
export function isBlankSql(tail: string): boolean {
  let i = 0;
  while (i < tail.length) {
    const code = tail.charCodeAt(i);
    if (isSpace(code) || code === Char.Semicolon) {
      i++;
      continue;
    }
    const isComment =
      (code === Char.Minus && tail.charCodeAt(i + 1) === Char.Minus) ||
      (code === Char.Slash && tail.charCodeAt(i + 1) === Char.Star);
    if (!isComment) return false;
    i = skipOpaque(tail, i);
  }
  return true;
}
