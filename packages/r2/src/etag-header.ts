/** One etag of a precondition: a value compared strongly or weakly, or `*`. */
export type Etag = { readonly type: "wildcard" } | { readonly type: "strong" | "weak"; readonly value: string };

const NONE = Number.POSITIVE_INFINITY;

/**
 * Parses an `If-Match` / `If-None-Match` header as the Workers binding does: a comma-separated
 * list of quoted etags (`"…"`), weak etags (`W/"…"`) and `*` (which overrides the rest). Empty
 * list elements are allowed; the value of a quoted etag may hold commas.
 *
 * @throws {Error} with the runtime's message for a malformed list, and
 *   `Invalid ETag in <header> header` when it holds no etag at all (an unquoted etag, say).
 */
export function parseEtagHeader(header: string, name: "if-match" | "if-none-match"): Etag[] {
  const etags: Etag[] = [];
  let rest = header;
  let commaRequired = false;
  for (;;) {
    const wildcard = indexOf(rest, "*");
    const quote = indexOf(rest, '"');
    const weak = indexOf(rest, "W");
    const comma = indexOf(rest, ",");
    if (quote === NONE && wildcard === NONE) break;
    if (comma < wildcard && comma < quote && comma < weak) {
      rest = rest.slice(comma + 1);
      commaRequired = false;
      continue;
    }
    if (commaRequired) throw new Error(`Comma was expected to separate etags. ${unexpected(wildcard, quote, weak)}`);
    if (wildcard < quote) return [{ type: "wildcard" }];
    const start = quote + 1;
    const end = rest.indexOf('"', start);
    if (end === -1) throw new Error("Unclosed double quote for Etag");
    const value = rest.slice(start, end);
    if (weak < quote) {
      if (rest.charAt(weak + 1) !== "/" || weak + 2 !== quote) {
        throw new Error("Weak etags must start with W/ and their value must be quoted");
      }
      etags.push({ type: "weak", value });
    } else {
      etags.push({ type: "strong", value });
    }
    rest = rest.slice(end + 1);
    commaRequired = true;
  }
  if (etags.length === 0) throw new Error(`Invalid ETag in ${name} header`);
  return etags;
}

function indexOf(text: string, search: string): number {
  const index = text.indexOf(search);
  return index === -1 ? NONE : index;
}

function unexpected(wildcard: number, quote: number, weak: number): string {
  const first = Math.min(wildcard, quote, weak);
  if (first === wildcard) return "Encountered a wildcard character '*' instead.";
  if (first === quote) {
    return "Encountered a double quote character '\"' instead. This would otherwise indicate the start of a new strong etag.";
  }
  return "Encountered a weak quotation character 'W' instead. This would otherwise indicate the start of a new weak etag.";
}
