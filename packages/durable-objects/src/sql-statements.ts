import { SqlLexer, TokenKind, isTrivia, splitStatements, tokenName } from "@cellar/metadata-store";

/** One token. `offset` is in UTF-16 code units from the start of the statement's text. */
export interface SqlToken {
  readonly kind: "word" | "quoted" | "string" | "blob" | "number" | "param" | "punct";
  /** The source text. */
  readonly text: string;
  /** Words upper-cased; quoted identifiers and strings unquoted; anything else as written. */
  readonly value: string;
  readonly offset: number;
}

/** One statement of a script. */
export interface SqlStatementText {
  /** The statement from its first token, without its terminating `;`. */
  readonly text: string;
  /** Where it starts in the script. */
  readonly start: number;
  /** Its tokens, without whitespace and comments; offsets relative to `text`. */
  readonly tokens: readonly SqlToken[];
}

/**
 * Splits a script into statements as SQLite's prepare loop does (the shared splitter of
 * `@cellar/metadata-store`), dropping comments and empty statements, and lists each one's tokens
 * in the shape the runtime's SQL rules read.
 */
export function splitSqlStatements(sql: string): SqlStatementText[] {
  return splitStatements(sql).statements.map((span) => {
    const text = sql.slice(span.contentStart, span.terminated ? span.end - 1 : span.end);
    return { text, start: span.contentStart, tokens: statementTokens(text) };
  });
}

function statementTokens(text: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  const lexer = new SqlLexer(text);
  while (lexer.next()) {
    if (isTrivia(lexer.kind)) continue;
    const { start, end } = lexer;
    const source = text.slice(start, end);
    tokens.push({ kind: kindOf(lexer.kind, source), text: source, value: valueOf(lexer.kind, text, start, end), offset: start });
  }
  return tokens;
}

function kindOf(kind: TokenKind, source: string): SqlToken["kind"] {
  switch (kind) {
    case TokenKind.Word:
      return "word";
    case TokenKind.QuotedId:
      return "quoted";
    case TokenKind.String:
      return "string";
    case TokenKind.Blob:
      return "blob";
    case TokenKind.Number:
      return "number";
    case TokenKind.Variable:
      // `#1` is SQLite's register syntax for its own nested parses, never a parameter of user
      // SQL: left to the engine, which reports it as a syntax error.
      return /^#[0-9]/.test(source) ? "punct" : "param";
    default:
      return "punct";
  }
}

function valueOf(kind: TokenKind, text: string, start: number, end: number): string {
  switch (kind) {
    case TokenKind.Word:
      return text.slice(start, end).toUpperCase();
    case TokenKind.QuotedId:
    case TokenKind.String:
      return tokenName(text, start, end);
    case TokenKind.Blob:
      return text.slice(start + 2, end - 1);
    default:
      return text.slice(start, end);
  }
}
