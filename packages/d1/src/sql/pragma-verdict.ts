import { TokenKind } from "@cellar/metadata-store";
import { isAllowedPragma } from "./allowed-pragmas.js";
import { NOT_AUTHORIZED, type Denial } from "./denial.js";
import type { TokenList } from "./token-list.js";

/**
 * The verdict on `PRAGMA [schema.]name [= value | (value)]` whose name starts at `index`:
 * `not authorized` unless the allow-list admits the name with that argument; undefined when the
 * PRAGMA may run, or when SQLite itself will reject it (a syntax error, an unknown schema).
 */
export function pragmaVerdict(tokens: TokenList, index: number): Denial | undefined {
  const target = tokens.qualifiedName(index);
  if (target === undefined) return undefined;
  if (target.schema !== undefined) {
    const schema = target.schema.toLowerCase();
    // workerd allows only reads and updates in the temp schema, never a PRAGMA.
    if (schema === "temp") return NOT_AUTHORIZED;
    if (schema !== "main") return undefined;
  }
  let next = target.next;
  let value: string | undefined;
  const kind = tokens.kind(next);
  if (kind !== undefined) {
    const equals = kind === TokenKind.Operator && (tokens.textOf(next) === "=" || tokens.textOf(next) === "==");
    if (!equals && kind !== TokenKind.LeftParen) return undefined;
    const parsed = pragmaValue(tokens, next + 1);
    if (parsed === undefined) return undefined;
    value = parsed.value;
    next = parsed.next;
    if (kind === TokenKind.LeftParen) {
      if (tokens.kind(next) !== TokenKind.RightParen) return undefined;
      next++;
    }
    if (next < tokens.length) return undefined;
  }
  return isAllowedPragma(target.name, value) ? undefined : NOT_AUTHORIZED;
}

/** A PRAGMA's value as SQLite hands it to the authorizer: dequoted, with a `-` sign kept. */
function pragmaValue(tokens: TokenList, index: number): { value: string; next: number } | undefined {
  const kind = tokens.kind(index);
  if (kind === undefined) return undefined;
  const text = tokens.textOf(index);
  if (kind === TokenKind.Operator && (text === "-" || text === "+") && tokens.kind(index + 1) === TokenKind.Number) {
    return { value: (text === "-" ? "-" : "") + tokens.textOf(index + 1), next: index + 2 };
  }
  if (kind === TokenKind.Number) return { value: text, next: index + 1 };
  if (tokens.isName(index)) return { value: tokens.name(index), next: index + 1 };
  return undefined;
}
