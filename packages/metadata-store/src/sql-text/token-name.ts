/**
 * The name a word or quoted identifier stands for: quotes removed and doubled delimiters
 * collapsed (`"a""b"` → `a"b`, `[x]` → `x`). A string literal used where SQLite accepts a name
 * (`SELECT * FROM 'table'`) is dequoted the same way. Other tokens are returned as written.
 * `start` and `end` are a token's offsets from {@link SqlLexer}.
 */
export function tokenName(text: string, start: number, end: number): string {
  const first = text[start];
  if (first === "[") return text.slice(start + 1, end - 1);
  if (first === '"' || first === "`" || first === "'") return text.slice(start + 1, end - 1).replaceAll(first + first, first);
  return text.slice(start, end);
}
