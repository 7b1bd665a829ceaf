/**
 * A lexer for SQLite's SQL, following `sqlite3GetToken` (tokenize.c) rule for rule: comments
 * (`--` to the end of the line, `/* … *\/` to its end or the end of input), string literals with
 * `''` escapes, quoted identifiers (`"x"`, `` `x` `` with doubled-delimiter escapes, `[x]`
 * without), blob literals (`x'00ff'`), numbers, every form of parameter (`?`, `?NNN`, `:name`,
 * `@name`, `$name`, `#name`, with Tcl's `::` and `(…)` suffixes), operators and words.
 *
 * better-sqlite3 and sql.js expose no authorizer hook, so gateways that must refuse some SQL (as
 * D1 and Durable Objects do) read it themselves. That is only sound if a keyword inside a
 * comment, a string or a quoted identifier can never be mistaken for one outside, which is why
 * this follows SQLite exactly rather than approximating with regular expressions.
 *
 * The lexer allocates nothing per token: it exposes the current token through fields.
 */

import { isDigit, isHexDigit, isIdChar, isIdStart, isSqlSpace } from "./sql-chars.js";
import { TokenKind } from "./token-kind.js";

// Character codes.
const TAB = 9;
const LF = 10;
const FF = 12;
const CR = 13;
const SPACE = 32;
const BANG = 33;
const DQUOTE = 34;
const HASH = 35;
const DOLLAR = 36;
const PERCENT = 37;
const AMP = 38;
const QUOTE = 39;
const LPAREN = 40;
const RPAREN = 41;
const STAR = 42;
const PLUS = 43;
const COMMA = 44;
const MINUS = 45;
const DOT = 46;
const SLASH = 47;
const ZERO = 48;
const COLON = 58;
const SEMI = 59;
const LT = 60;
const EQ = 61;
const GT = 62;
const QUESTION = 63;
const AT = 64;
const LBRACKET = 91;
const UNDERSCORE = 95;
const BACKTICK = 96;
const PIPE = 124;
const TILDE = 126;

/**
 * Walks the tokens of `text` from `position`. Call `next()` until it returns false; the current
 * token is `kind`, `start`, `end` (UTF-16 offsets, `end` exclusive).
 *
 * With `final = false` the text is a prefix of a longer input (a streamed import): a token that
 * reaches the end of the text might continue in the next chunk, so `next()` stops before it and
 * sets `incomplete`; feed more text and lex again from `start`.
 */
export class SqlLexer {
  /** Kind of the current token. */
  kind: TokenKind = TokenKind.Space;
  /** Offset of the current token. */
  start = 0;
  /** Offset just past the current token. */
  end = 0;
  /** True when `next()` stopped because the last token may continue past the text (non-final input only). */
  incomplete = false;
  readonly #text: string;
  readonly #final: boolean;

  constructor(text: string, position = 0, final = true) {
    this.#text = text;
    this.#final = final;
    this.end = position;
  }

  /** The text being lexed. */
  get text(): string {
    return this.#text;
  }

  /** Advance to the next token; false at the end of the text (or before an incomplete token). */
  next(): boolean {
    const text = this.#text;
    const start = this.end;
    if (start >= text.length) return false;
    const end = this.#scan(start);
    if (!this.#final && end >= text.length && this.#mayContinue()) {
      this.incomplete = true;
      return false;
    }
    this.start = start;
    this.end = end;
    return true;
  }

  /**
   * Whether the token just scanned, which runs to the end of a non-final text, could be longer once
   * more text arrives. Single-character punctuation cannot; everything else (words, numbers,
   * literals, comments, whitespace, operators such as `<` that may become `<=`) can.
   */
  #mayContinue(): boolean {
    const kind = this.kind;
    return !(kind === TokenKind.Semicolon || kind === TokenKind.LeftParen || kind === TokenKind.RightParen || kind === TokenKind.Comma);
  }

  /** Scan the token at `i`, set `kind`, and return its end. */
  #scan(i: number): number {
    const text = this.#text;
    const length = text.length;
    const code = text.charCodeAt(i);
    switch (code) {
      case SPACE:
      case TAB:
      case LF:
      case FF:
      case CR: {
        let j = i + 1;
        while (j < length && isSqlSpace(text.charCodeAt(j))) j++;
        this.kind = TokenKind.Space;
        return j;
      }
      case MINUS: {
        const next = text.charCodeAt(i + 1);
        if (next === MINUS) {
          let j = i + 2;
          while (j < length && text.charCodeAt(j) !== LF) j++;
          this.kind = TokenKind.Comment;
          return j;
        }
        this.kind = TokenKind.Operator;
        if (next === GT) return text.charCodeAt(i + 2) === GT ? i + 3 : i + 2; // -> and ->>
        return i + 1;
      }
      case SLASH: {
        if (text.charCodeAt(i + 1) === STAR) {
          const close = text.indexOf("*/", i + 2);
          this.kind = TokenKind.Comment;
          return close === -1 ? length : close + 2;
        }
        this.kind = TokenKind.Operator;
        return i + 1;
      }
      case LPAREN:
        this.kind = TokenKind.LeftParen;
        return i + 1;
      case RPAREN:
        this.kind = TokenKind.RightParen;
        return i + 1;
      case SEMI:
        this.kind = TokenKind.Semicolon;
        return i + 1;
      case COMMA:
        this.kind = TokenKind.Comma;
        return i + 1;
      case PLUS:
      case STAR:
      case PERCENT:
      case AMP:
      case TILDE:
        this.kind = TokenKind.Operator;
        return i + 1;
      case EQ:
        this.kind = TokenKind.Operator;
        return text.charCodeAt(i + 1) === EQ ? i + 2 : i + 1;
      case LT: {
        const next = text.charCodeAt(i + 1);
        this.kind = TokenKind.Operator;
        return next === EQ || next === GT || next === LT ? i + 2 : i + 1;
      }
      case GT: {
        const next = text.charCodeAt(i + 1);
        this.kind = TokenKind.Operator;
        return next === EQ || next === GT ? i + 2 : i + 1;
      }
      case BANG:
        if (text.charCodeAt(i + 1) === EQ) {
          this.kind = TokenKind.Operator;
          return i + 2;
        }
        this.kind = TokenKind.Illegal;
        return i + 1;
      case PIPE:
        this.kind = TokenKind.Operator;
        return text.charCodeAt(i + 1) === PIPE ? i + 2 : i + 1;
      case QUOTE:
      case DQUOTE:
      case BACKTICK:
        return this.#quoted(i, code);
      case LBRACKET: {
        const close = text.indexOf("]", i + 1);
        if (close === -1) {
          this.kind = TokenKind.Illegal;
          return length;
        }
        this.kind = TokenKind.QuotedId;
        return close + 1;
      }
      case DOT:
        if (isDigit(text.charCodeAt(i + 1))) return this.#number(i);
        this.kind = TokenKind.Dot;
        return i + 1;
      case QUESTION: {
        let j = i + 1;
        while (j < length && isDigit(text.charCodeAt(j))) j++;
        this.kind = TokenKind.Variable;
        return j;
      }
      case DOLLAR:
      case AT:
      case COLON:
      case HASH:
        return this.#namedVariable(i);
      default:
        break;
    }
    if (isDigit(code)) return this.#number(i);
    if ((code === 120 || code === 88) && text.charCodeAt(i + 1) === QUOTE) return this.#blob(i);
    if (isIdStart(code)) {
      let j = i + 1;
      while (j < length && isIdChar(text.charCodeAt(j))) j++;
      this.kind = TokenKind.Word;
      return j;
    }
    this.kind = TokenKind.Illegal;
    return i + 1;
  }

  /** A string literal or quoted identifier; the delimiter doubled inside is an escaped delimiter. */
  #quoted(i: number, delimiter: number): number {
    const text = this.#text;
    const quote = text[i] as string;
    let j = i + 1;
    for (;;) {
      const close = text.indexOf(quote, j);
      if (close === -1) {
        this.kind = TokenKind.Illegal;
        return text.length;
      }
      if (text.charCodeAt(close + 1) === delimiter) {
        j = close + 2;
        continue;
      }
      this.kind = delimiter === QUOTE ? TokenKind.String : TokenKind.QuotedId;
      return close + 1;
    }
  }

  /** `x'…'`: an even number of hex digits, else SQLite's "unrecognized token". */
  #blob(i: number): number {
    const text = this.#text;
    let j = i + 2;
    while (j < text.length && isHexDigit(text.charCodeAt(j))) j++;
    if (text.charCodeAt(j) === QUOTE && (j - i - 2) % 2 === 0) {
      this.kind = TokenKind.Blob;
      return j + 1;
    }
    // SQLite consumes up to the closing quote (or the end) and reports the whole thing as illegal.
    while (j < text.length && text.charCodeAt(j) !== QUOTE) j++;
    this.kind = TokenKind.Illegal;
    return j < text.length ? j + 1 : j;
  }

  /** A number: hex (`0x…`), or digits with `_` separators, a fraction and an exponent. */
  #number(i: number): number {
    const text = this.#text;
    const length = text.length;
    let j = i;
    this.kind = TokenKind.Number;
    if (text.charCodeAt(i) === ZERO && (text.charCodeAt(i + 1) === 120 || text.charCodeAt(i + 1) === 88) && isHexDigit(text.charCodeAt(i + 2))) {
      j = i + 3;
      while (j < length && (isHexDigit(text.charCodeAt(j)) || text.charCodeAt(j) === UNDERSCORE)) j++;
    } else {
      while (j < length && (isDigit(text.charCodeAt(j)) || text.charCodeAt(j) === UNDERSCORE)) j++;
      if (text.charCodeAt(j) === DOT) {
        j++;
        while (j < length && (isDigit(text.charCodeAt(j)) || text.charCodeAt(j) === UNDERSCORE)) j++;
      }
      const e = text.charCodeAt(j);
      if (e === 101 || e === 69) {
        const sign = text.charCodeAt(j + 1);
        const digitAt = sign === PLUS || sign === MINUS ? j + 2 : j + 1;
        if (isDigit(text.charCodeAt(digitAt))) {
          j = digitAt + 1;
          while (j < length && isDigit(text.charCodeAt(j))) j++;
        }
      }
    }
    // A number running straight into a word (`12abc`) is one illegal token.
    if (j < length && isIdChar(text.charCodeAt(j))) {
      while (j < length && isIdChar(text.charCodeAt(j))) j++;
      this.kind = TokenKind.Illegal;
    }
    return j;
  }

  /** `$a`, `@a`, `:a`, `#a`, with Tcl's `::` separators and a trailing `(…)`; illegal without a name. */
  #namedVariable(i: number): number {
    const text = this.#text;
    const length = text.length;
    let named = 0;
    let j = i + 1;
    this.kind = TokenKind.Variable;
    while (j < length) {
      const code = text.charCodeAt(j);
      if (isIdChar(code)) {
        named++;
        j++;
      } else if (code === LPAREN && named > 0) {
        j++;
        while (j < length && !isSqlSpace(text.charCodeAt(j)) && text.charCodeAt(j) !== RPAREN) j++;
        if (text.charCodeAt(j) === RPAREN) j++;
        else this.kind = TokenKind.Illegal;
        break;
      } else if (code === COLON && text.charCodeAt(j + 1) === COLON) {
        j += 2;
      } else {
        break;
      }
    }
    if (named === 0) this.kind = TokenKind.Illegal;
    return j;
  }
}
