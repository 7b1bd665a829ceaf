import { StatementScanner } from "@cellar/metadata-store";

/** A complete statement read from a stream, with the 1-based line it starts on. */
export interface StreamedStatement {
  readonly text: string;
  readonly line: number;
}

/**
 * Splits SQL text arriving in chunks into statements, holding only the statement in progress:
 * consumed text is dropped, so a 100 MB file never sits in memory whole. Splitting follows
 * SQLite (see `StatementScanner`), so a `;` inside a literal, a comment or a trigger body does
 * not end a statement, wherever the chunk boundaries fall.
 */
export class StatementStream {
  readonly #scanner = new StatementScanner();
  #buffer = "";
  /** Line number at `#lineOffset` in the buffer. */
  #line = 1;
  #lineOffset = 0;

  /** Add `text`; returns the statements it completed. With `final`, also the last one without `;`. */
  push(text: string, final = false): StreamedStatement[] {
    if (this.#buffer === "") this.#buffer = text;
    else this.#buffer += text;
    const buffer = this.#buffer;
    const statements: StreamedStatement[] = [];
    this.#scanner.scan(buffer, final, (span) => {
      statements.push({ text: buffer.slice(span.contentStart, span.end), line: this.#lineAt(span.contentStart) });
    });
    // Keep only what the scanner still needs: the statement in progress (or the gap before the next).
    const cut = Math.min(this.#scanner.segmentStart, this.#scanner.position);
    if (cut > 0) {
      this.#lineAt(cut);
      this.#buffer = buffer.slice(cut);
      this.#lineOffset -= cut;
      this.#scanner.rebase(cut);
    }
    return statements;
  }

  /** Count lines up to `offset` (which only moves forward). */
  #lineAt(offset: number): number {
    const buffer = this.#buffer;
    for (let i = buffer.indexOf("\n", this.#lineOffset); i !== -1 && i < offset; i = buffer.indexOf("\n", i + 1)) this.#line++;
    this.#lineOffset = offset;
    return this.#line;
  }
}
