import { SqlLexer, TokenKind, isTrivia, tokenName } from "@cellar/metadata-store";

/** A schema-qualified name in a statement: `[schema .] name`. */
export interface QualifiedName {
  readonly schema: string | undefined;
  readonly name: string;
  /** Index of the name's own token. */
  readonly nameIndex: number;
  /** Index of the token after it. */
  readonly next: number;
}

/**
 * The significant tokens of one statement (no whitespace or comments, and not its terminating
 * `;`), with the lookups statement analysis needs: upper-cased words, dequoted names, matching
 * parentheses. Out-of-range indexes read as nothing rather than failing.
 */
export class TokenList {
  readonly text: string;
  readonly #kinds: TokenKind[] = [];
  readonly #starts: number[] = [];
  readonly #ends: number[] = [];
  readonly #words: string[] = [];
  readonly #closing: number[] = [];
  /** True when the statement has a parameter (`?`, `:name`, …). */
  readonly hasParameters: boolean;

  constructor(text: string) {
    this.text = text;
    const lexer = new SqlLexer(text);
    const open: number[] = [];
    let hasParameters = false;
    while (lexer.next()) {
      const kind = lexer.kind;
      if (isTrivia(kind)) continue;
      if (kind === TokenKind.Variable) hasParameters = true;
      const index = this.#kinds.length;
      this.#kinds.push(kind);
      this.#starts.push(lexer.start);
      this.#ends.push(lexer.end);
      this.#words.push(kind === TokenKind.Word ? text.slice(lexer.start, lexer.end).toUpperCase() : "");
      this.#closing.push(-1);
      if (kind === TokenKind.LeftParen) open.push(index);
      else if (kind === TokenKind.RightParen && open.length > 0) this.#closing[open.pop()!] = index;
    }
    // The statement's own terminating `;` is not part of it (a trigger body's inner ones are).
    while (this.#kinds.at(-1) === TokenKind.Semicolon) {
      this.#kinds.pop();
      this.#starts.pop();
      this.#ends.pop();
      this.#words.pop();
      this.#closing.pop();
    }
    this.hasParameters = hasParameters;
  }

  /** How many tokens there are. */
  get length(): number {
    return this.#kinds.length;
  }

  /** The kind of token `index`. */
  kind(index: number): TokenKind | undefined {
    return this.#kinds[index];
  }

  /** The upper-cased text of a bare word; `""` for any other token or none. */
  word(index: number): string {
    return this.#words[index] ?? "";
  }

  /** Offset of token `index` in the statement. */
  start(index: number): number {
    return this.#starts[index] ?? this.text.length;
  }

  /** The token's text as written. */
  textOf(index: number): string {
    return this.text.slice(this.#starts[index], this.#ends[index]);
  }

  /** Index of the `)` matching the `(` at `index`, or -1. */
  closing(index: number): number {
    return this.#closing[index] ?? -1;
  }

  /** True for tokens SQLite accepts as a name: words, quoted identifiers and string literals. */
  isName(index: number): boolean {
    const kind = this.#kinds[index];
    return kind === TokenKind.Word || kind === TokenKind.QuotedId || kind === TokenKind.String;
  }

  /** The name token `index` stands for, dequoted. */
  name(index: number): string {
    return tokenName(this.text, this.#starts[index]!, this.#ends[index]!);
  }

  /** A possibly schema-qualified name at `index`, or undefined if there is none. */
  qualifiedName(index: number): QualifiedName | undefined {
    if (!this.isName(index)) return undefined;
    if (this.#kinds[index + 1] === TokenKind.Dot && this.isName(index + 2)) {
      return { schema: this.name(index), name: this.name(index + 2), nameIndex: index + 2, next: index + 3 };
    }
    return { schema: undefined, name: this.name(index), nameIndex: index, next: index + 1 };
  }

  /** Every name in the statement, dequoted and lower-case, and `*` where one appears, in order. */
  allNames(): string[] {
    const names: string[] = [];
    for (let i = 0; i < this.#kinds.length; i++) {
      const kind = this.#kinds[i];
      if (kind === TokenKind.Word || kind === TokenKind.QuotedId) names.push(this.name(i).toLowerCase());
      else if (kind === TokenKind.Operator && this.textOf(i) === "*") names.push("*");
    }
    return names;
  }
}
