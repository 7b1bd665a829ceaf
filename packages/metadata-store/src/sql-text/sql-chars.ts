/**
 * Character classes of SQLite's tokenizer (tokenize.c's `aiClass` and `IdChar`), on UTF-16 code
 * units. SQLite reads UTF-8 bytes and treats every byte >= 0x80 as an identifier character; every
 * code unit >= 0x80 of the same text is one, so both views agree on token boundaries.
 */

/** SQLite's whitespace: space, tab, newline, form feed, carriage return (not vertical tab). */
export function isSqlSpace(code: number): boolean {
  return code === 32 || code === 10 || code === 9 || code === 13 || code === 12;
}

/**
 * What workerd skips after a statement's `;` before preparing the rest: C's `isspace`, which
 * (unlike SQLite's tokenizer) includes the vertical tab.
 */
export function isGapSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

export function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

export function isHexDigit(code: number): boolean {
  return isDigit(code) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

/** `IdChar`: letters, digits, `_`, `$` and every non-ASCII code unit. */
export function isIdChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || isDigit(code) || code === 95 || code === 36 || code >= 0x80;
}

/** What may start a word: letters, `_` and every non-ASCII code unit (not digits or `$`). */
export function isIdStart(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95 || code >= 0x80;
}
