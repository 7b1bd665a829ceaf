/**
 * Values written as SQL literals for an export, as `wrangler d1 export` writes them (Miniflare's
 * `dumpSql`, itself a port of the SQLite shell's `.dump`).
 */

/** An identifier, always double-quoted (`"a""b"` for `a"b`). */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * A string that is not in `value`: `primary` if possible, else `secondary`, else `(primary0)`,
 * `(primary1)`, …, as the shell's `unused_string` picks the placeholder for newlines.
 */
function unusedString(value: string, primary: string, secondary: string): string {
  if (!value.includes(primary)) return primary;
  if (!value.includes(secondary)) return secondary;
  let suffix = 0;
  let candidate: string;
  do {
    candidate = `(${primary}${suffix++})`;
  } while (value.includes(candidate));
  return candidate;
}

/**
 * A string literal: `'…'` with `''` escaping. Newlines and carriage returns are written as a
 * placeholder restored by `replace(…, '\n', char(10))` (and `'\r'`, `char(13)`), so each
 * statement stays on one line; the placeholder is one the string does not contain, so a literal
 * backslash-n in the text survives the round trip.
 */
export function quoteString(value: string): string {
  // SQLite reads SQL text as a C string, so a NUL inside a literal would end the statement
  // there. Such strings (which wrangler's export corrupts) are written as pieces joined by char(0).
  if (value.includes("\u0000")) return value.split("\u0000").map(quoteLine).join("||char(0)||");
  return quoteLine(value);
}

function quoteLine(value: string): string {
  const hasNewline = value.includes("\n");
  const hasReturn = value.includes("\r");
  if (!hasNewline && !hasReturn) return `'${value.replaceAll("'", "''")}'`;
  const newline = unusedString(value, "\\n", "\\012");
  const carriageReturn = unusedString(value, "\\r", "\\015");
  let output = `'${value.replaceAll("'", "''").replaceAll("\n", newline).replaceAll("\r", carriageReturn)}'`;
  if (hasReturn) output = `replace(${output},'${carriageReturn}',char(13))`;
  if (hasNewline) output = `replace(${output},'${newline}',char(10))`;
  return output;
}

/**
 * A REAL value. Whole numbers keep a `.0` so they read back as REAL (Miniflare writes JS's `1`,
 * which a column without a type would store as INTEGER); infinities use the SQLite shell's
 * `9.0e+999`, which SQLite reads back as infinity.
 */
export function formatReal(value: number): string {
  if (value === Number.POSITIVE_INFINITY) return "9.0e+999";
  if (value === Number.NEGATIVE_INFINITY) return "-9.0e+999";
  if (Number.isNaN(value)) return "NULL";
  const text = String(value);
  return /^-?\d+$/.test(text) ? `${text}.0` : text;
}

/**
 * One cell as a literal: `NULL`, an INTEGER exactly (read as `bigint`, so values beyond 2^53 keep
 * every digit), a REAL, a string, or a BLOB as `X'hex'`.
 */
export function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  switch (typeof value) {
    case "bigint":
      return value.toString();
    case "number":
      return formatReal(value);
    case "string":
      return quoteString(value);
    default:
      break;
  }
  if (value instanceof Uint8Array) return `X'${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("hex")}'`;
  throw new TypeError(`Cannot export a value of type ${typeof value}`);
}
