import { isGapSpace } from "./sql-chars.js";
import { SqlLexer } from "./sql-lexer.js";
import { TokenKind } from "./token-kind.js";

/** One statement found in a text by {@link StatementScanner} or `splitStatements`. */
export interface StatementSpan {
  /**
   * Where SQLite starts preparing it: just after the previous statement's `;` and the whitespace
   * that follows (workerd skips that whitespace before preparing the rest). Any empty statements
   * (`;;`) and comments before the statement belong to the span.
   */
  readonly start: number;
  /** Offset of its first real token (not whitespace, a comment or `;`). */
  readonly contentStart: number;
  /** Offset just past its terminating `;`, or the end of the text when it has none. */
  readonly end: number;
  /**
   * True when the statement ends with its own `;` (at `end - 1`); false for a last statement
   * that runs to the end of the text, whose final character may be anything, even a `;` inside
   * a comment.
   */
  readonly terminated: boolean;
}

// Token classes of complete.c.
const SEMI = 0;
const WS = 1;
const OTHER = 2;
const EXPLAIN = 3;
const CREATE = 4;
const TEMP = 5;
const TRIGGER = 6;
const END = 7;

// complete.c's transition table: TRANSITIONS[state][token class]. States: 0 INVALID, 1 START,
// 2 NORMAL, 3 EXPLAIN, 4 CREATE, 5 TRIGGER (inside a trigger body), 6 SEMI (after a `;` in a
// trigger body), 7 END (after `; END` in a trigger body).
const TRANSITIONS: readonly (readonly number[])[] = [
  [1, 0, 2, 3, 4, 2, 2, 2],
  [1, 1, 2, 3, 4, 2, 2, 2],
  [1, 2, 2, 2, 2, 2, 2, 2],
  [1, 3, 3, 2, 4, 2, 2, 2],
  [1, 4, 2, 2, 2, 4, 5, 2],
  [6, 5, 5, 5, 5, 5, 5, 5],
  [6, 6, 5, 5, 5, 5, 5, 7],
  [1, 7, 5, 5, 5, 5, 5, 5],
];

function wordClass(text: string, start: number, end: number): number {
  const length = end - start;
  if (length < 3 || length > 9) return OTHER;
  const word = text.slice(start, end).toLowerCase();
  switch (word) {
    case "create":
      return CREATE;
    case "temp":
    case "temporary":
      return TEMP;
    case "trigger":
      return TRIGGER;
    case "end":
      return END;
    case "explain":
      return EXPLAIN;
    default:
      return OTHER;
  }
}

function tokenClass(lexer: SqlLexer): number {
  switch (lexer.kind) {
    case TokenKind.Semicolon:
      return SEMI;
    case TokenKind.Space:
    case TokenKind.Comment:
      return WS;
    case TokenKind.Word:
      return wordClass(lexer.text, lexer.start, lexer.end);
    default:
      return OTHER;
  }
}

/**
 * Splits SQL text into statements the way SQLite does: on `;` outside comments, literals and
 * quoted identifiers, except inside a `CREATE TRIGGER … BEGIN … END` body, whose inner `;` belong
 * to the trigger. The state machine is SQLite's own `sqlite3_complete` (complete.c), driven by
 * the tokens of {@link SqlLexer}.
 *
 * The text may arrive in chunks: `scan` takes the whole text seen so far and continues lexing
 * where the last call stopped, reporting each complete statement through its callback. Used
 * whole for a query string (`splitStatements`) and chunk by chunk for streamed imports.
 */
export class StatementScanner {
  #state = 0;
  #segmentStart = 0;
  #contentStart = -1;
  #position = 0;

  /** Offset lexing continues from; everything before it has been classified. */
  get position(): number {
    return this.#position;
  }

  /** Start of the statement being read (or of the text after the last one). */
  get segmentStart(): number {
    return this.#segmentStart;
  }

  /** True while inside a statement that has real tokens but no terminating `;` yet. */
  get inStatement(): boolean {
    return this.#contentStart !== -1;
  }

  /** Offset of the pending statement's first real token, or -1. */
  get contentStart(): number {
    return this.#contentStart;
  }

  /**
   * Lex `text` from the current position. `final` says no more text follows; otherwise a token
   * touching the end is left for the next call. Calls `onStatement` for each complete statement.
   */
  scan(text: string, final: boolean, onStatement: (span: StatementSpan) => void): void {
    const lexer = new SqlLexer(text, this.#position, final);
    while (lexer.next()) {
      const cls = tokenClass(lexer);
      const previous = this.#state;
      const state = TRANSITIONS[previous]![cls]!;
      this.#state = state;
      if (cls !== WS && cls !== SEMI && this.#contentStart === -1) this.#contentStart = lexer.start;
      if (state === 1 && cls === SEMI && previous !== 1 && previous !== 0) {
        const end = lexer.end;
        onStatement({ start: this.#segmentStart, contentStart: this.#contentStart, end, terminated: true });
        let next = end;
        while (next < text.length && isGapSpace(text.charCodeAt(next))) next++;
        this.#segmentStart = next;
        this.#contentStart = -1;
        // Resume after the skipped whitespace; if it reaches the end of a non-final text, the
        // next chunk may continue it, which the lexer handles as one whitespace token.
        lexer.end = next;
      }
    }
    this.#position = lexer.incomplete ? lexer.end : text.length;
    if (final && this.#contentStart !== -1) {
      onStatement({ start: this.#segmentStart, contentStart: this.#contentStart, end: text.length, terminated: false });
      this.#segmentStart = text.length;
      this.#contentStart = -1;
      this.#state = 0;
    }
  }

  /** Forget the first `offset` characters of the text (already consumed); offsets shift down. */
  rebase(offset: number): void {
    this.#position -= offset;
    this.#segmentStart -= offset;
    if (this.#contentStart !== -1) this.#contentStart -= offset;
  }
}
