/**
 * What a {@link SqlLexer} token is. Whitespace and comments are tokens too, so a caller can
 * rebuild the exact text from the tokens or keep offsets into it.
 */
export const TokenKind = {
  /** Spaces, tabs, newlines, form feeds, carriage returns. */
  Space: 0,
  /** `-- …` or `/* … *\/`. */
  Comment: 1,
  /** A bare word: a keyword or an unquoted identifier. */
  Word: 2,
  /** `"x"`, `[x]` or `` `x` ``. */
  QuotedId: 3,
  /** `'text'`. */
  String: 4,
  /** `x'hex'`. */
  Blob: 5,
  /** `1`, `1.5e3`, `0x1F`, `.5`, `1_000`. */
  Number: 6,
  /** `?`, `?3`, `:a`, `@a`, `$a`, `#1`. */
  Variable: 7,
  /** `;` */
  Semicolon: 8,
  /** `(` */
  LeftParen: 9,
  /** `)` */
  RightParen: 10,
  /** `,` */
  Comma: 11,
  /** `.` (not part of a number). */
  Dot: 12,
  /** Any other operator: `=`, `==`, `<>`, `||`, `->>`, `*`, … */
  Operator: 13,
  /** Something SQLite rejects as "unrecognized token": an unterminated string, a lone `!`, … */
  Illegal: 14,
} as const;
export type TokenKind = (typeof TokenKind)[keyof typeof TokenKind];

/** True for tokens SQLite skips: whitespace and comments. */
export function isTrivia(kind: TokenKind): boolean {
  return kind === TokenKind.Space || kind === TokenKind.Comment;
}
