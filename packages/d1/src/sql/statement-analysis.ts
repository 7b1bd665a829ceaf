import { ALLOWED_FUNCTIONS } from "./allowed-functions.js";
import { isAllowedName, isAllowedPragma } from "./allowed-pragmas.js";
import { SqlLexer, TokenKind, isTrivia, tokenName } from "./sql-lexer.js";
import {
  EXPRESSION_KEYWORDS,
  FROM_CLAUSE_END,
  FUNCTION_KEYWORDS,
  SQLITE_KEYWORDS,
  TRANSACTION_VERBS,
  WRITE_VERBS,
} from "./sql-keywords.js";

/** D1's limit on a function's arguments (Q7: the documented 32, where workerd allows 127). */
export const MAX_FUNCTION_ARGUMENTS = 32;
/** workerd's `SQLITE_LIMIT_COMPOUND_SELECT`: terms of one `UNION`/`INTERSECT`/`EXCEPT` chain. */
export const MAX_COMPOUND_TERMS = 5;
/** workerd's `SQLITE_LIMIT_COLUMN`: columns per table and per result set. */
export const MAX_COLUMNS = 100;

/** Why a statement may not run, in the terms workerd reports it. */
export type Denial =
  /** `BEGIN`, `COMMIT`, `SAVEPOINT`, …: the runtime's "To execute a transaction, …" message. */
  | { readonly kind: "transaction" }
  /** The authorizer said no: `not authorized` (SQLITE_AUTH). */
  | { readonly kind: "not-authorized" }
  /** A read of a protected table: `access to <table>.<column> is prohibited` (SQLITE_AUTH). */
  | { readonly kind: "read"; readonly table: string; readonly names: readonly string[] }
  /** A function outside the allow-list: `not authorized to use function: <name>`. */
  | { readonly kind: "function"; readonly name: string; readonly offset: number }
  /** An error SQLite raises while parsing (a limit): its message, and where it points. */
  | { readonly kind: "error"; readonly message: string; readonly offset: number | undefined };

/** What D1's rules say about one statement, read from its text alone. */
export interface StatementAnalysis {
  /** The statement's verb (`SELECT`, `INSERT`, `PRAGMA`, …) after any `EXPLAIN`, upper-case; `""` if none. */
  readonly verb: string;
  /** True when the statement cannot write: a `SELECT`, `VALUES`, read-only `WITH`, or any `EXPLAIN`. */
  readonly readOnly: boolean;
  /**
   * A refusal to report before the engine prepares the statement: a PRAGMA outside the allow-list
   * (preparing a PRAGMA can already change the connection) or a limit SQLite checks while parsing.
   */
  readonly beforePrepare: Denial | undefined;
  /**
   * A refusal to report once the engine has prepared the statement, so that SQLite's own errors
   * (`no such table`, `no such function`) come first, as they do under workerd's authorizer.
   */
  readonly afterPrepare: Denial | undefined;
  /** True when the statement has a parameter (`?`, `:name`, …). */
  readonly hasParameters: boolean;
}

interface Token {
  readonly kind: TokenKind;
  readonly start: number;
  readonly end: number;
  /** Upper-case text of a bare word; `""` for every other token. */
  readonly word: string;
}

interface Frame {
  /** Set when this parenthesis holds a function call's arguments. */
  func: { readonly written: string; readonly offset: number; commas: number; readonly empty: boolean } | undefined;
  /** Set inside a FROM clause (or a parenthesised join) at this depth. */
  from: { expectTable: boolean } | undefined;
  /** Compound operators seen in the SELECT chain at this depth. */
  compound: number;
}

const VIRTUAL_TABLE_MODULES: ReadonlySet<string> = new Set(["fts5", "fts5vocab", "rtree", "rtree_i32"]);

/**
 * Read one statement the way workerd's SQLite authorizer and limits would judge it. The checks:
 * - transaction control (`BEGIN`, `COMMIT`, `END`, `ROLLBACK`, `SAVEPOINT`, `RELEASE`) is refused;
 * - `ATTACH`/`DETACH`, TEMP objects, and virtual tables other than FTS5 and R*Tree are refused;
 * - PRAGMAs must be on the allow-list, with the argument it allows;
 * - tables whose names start `_cf_` (case-insensitively, however quoted, with or without a schema
 *   prefix, even as a string literal used as a name) may not be created, dropped, altered,
 *   written or read; reads get the "access to … is prohibited" message;
 * - functions must be on the allow-list, with at most 32 arguments;
 * - a compound SELECT has at most 5 terms and a table at most 100 columns.
 *
 * `text` is one statement (see `splitStatements`); keywords inside comments, literals and quoted
 * identifiers are never seen as keywords, because the lexer skips them as SQLite does.
 */
export function analyzeStatement(text: string): StatementAnalysis {
  return new Analyzer(text).run();
}

class Analyzer {
  readonly #text: string;
  readonly #tokens: Token[] = [];
  /** For each `(`, the index of its matching `)` (or the end). */
  readonly #closing: number[] = [];
  /** Name tokens that precede `(` without being function calls (the table of `CREATE INDEX … ON t(…)`). */
  readonly #notFunctions = new Set<number>();
  #afterPrepare: Denial | undefined;
  #parseError: Denial | undefined;
  #hasParameters = false;

  constructor(text: string) {
    this.#text = text;
    const lexer = new SqlLexer(text);
    const open: number[] = [];
    while (lexer.next()) {
      if (isTrivia(lexer.kind)) continue;
      if (lexer.kind === TokenKind.Variable) this.#hasParameters = true;
      const index = this.#tokens.length;
      this.#tokens.push({
        kind: lexer.kind,
        start: lexer.start,
        end: lexer.end,
        word: lexer.kind === TokenKind.Word ? text.slice(lexer.start, lexer.end).toUpperCase() : "",
      });
      this.#closing.push(-1);
      if (lexer.kind === TokenKind.LeftParen) open.push(index);
      else if (lexer.kind === TokenKind.RightParen && open.length > 0) this.#closing[open.pop()!] = index;
    }
    // The statement's own terminating `;` is not part of it (a trigger body's inner ones are).
    while (this.#tokens.at(-1)?.kind === TokenKind.Semicolon) {
      this.#tokens.pop();
      this.#closing.pop();
    }
  }

  run(): StatementAnalysis {
    let i = 0;
    let explain = false;
    if (this.#word(0) === "EXPLAIN") {
      explain = true;
      i = this.#word(1) === "QUERY" && this.#word(2) === "PLAN" ? 3 : 1;
    }
    const verb = this.#word(i);
    if (verb === "PRAGMA") {
      // A PRAGMA has no clauses to walk; its verdict must come before the engine prepares it.
      return { verb, readOnly: explain, beforePrepare: this.#pragma(i + 1), afterPrepare: undefined, hasParameters: this.#hasParameters };
    }
    if (TRANSACTION_VERBS.has(verb)) this.#deny({ kind: "transaction" });
    else if (verb === "ATTACH" || verb === "DETACH") this.#deny({ kind: "not-authorized" });
    else if (verb === "CREATE") this.#create(i + 1);
    else if (verb === "DROP") this.#drop(i + 1);
    else if (verb === "ALTER") this.#alter(i + 1);
    else if (verb === "REINDEX") this.#checkName(i + 1, "write");
    const writesAtTop = this.#walk(i);
    const readOnly = explain || verb === "SELECT" || verb === "VALUES" || (verb === "WITH" && !writesAtTop);
    return { verb, readOnly, beforePrepare: this.#parseError, afterPrepare: this.#afterPrepare, hasParameters: this.#hasParameters };
  }

  #word(index: number): string {
    return this.#tokens[index]?.word ?? "";
  }

  #kind(index: number): TokenKind | undefined {
    return this.#tokens[index]?.kind;
  }

  #deny(denial: Denial): void {
    this.#afterPrepare ??= denial;
  }

  #parseFailure(message: string, offset: number | undefined): void {
    this.#parseError ??= { kind: "error", message, offset };
  }

  /** A refusal SQLite reaches while parsing, so before any name is resolved. */
  #refuseEarly(denial: Denial): void {
    this.#parseError ??= denial;
  }

  /** True for tokens SQLite accepts as a name: words, quoted identifiers and string literals. */
  #isName(index: number): boolean {
    const kind = this.#kind(index);
    return kind === TokenKind.Word || kind === TokenKind.QuotedId || kind === TokenKind.String;
  }

  #name(index: number): string {
    const token = this.#tokens[index]!;
    return tokenName(this.#text, token.start, token.end);
  }

  /** A possibly schema-qualified name at `index`: `[schema .] name`. */
  #qualifiedName(index: number): { schema: string | undefined; name: string; nameIndex: number; next: number } | undefined {
    if (!this.#isName(index)) return undefined;
    if (this.#kind(index + 1) === TokenKind.Dot && this.#isName(index + 2)) {
      return { schema: this.#name(index), name: this.#name(index + 2), nameIndex: index + 2, next: index + 3 };
    }
    return { schema: undefined, name: this.#name(index), nameIndex: index, next: index + 1 };
  }

  /** Judge a reference to a table (or index, view, trigger) at `index`; returns the index after it. */
  #checkName(index: number, access: "read" | "write"): number {
    const reference = this.#qualifiedName(index);
    if (reference === undefined) return index;
    if (!isAllowedName(reference.name)) {
      this.#deny(access === "read" ? { kind: "read", table: reference.name, names: this.#allNames() } : { kind: "not-authorized" });
    } else if (access === "write" && reference.schema?.toLowerCase() === "temp") {
      // workerd allows only reads and updates of the temp schema.
      this.#deny({ kind: "not-authorized" });
    }
    return reference.next;
  }

  /** Every name in the statement, dequoted and lower-case: candidates for the column a denied read names. */
  #allNames(): string[] {
    const names: string[] = [];
    for (let i = 0; i < this.#tokens.length; i++) {
      const kind = this.#kind(i);
      if (kind === TokenKind.Word || kind === TokenKind.QuotedId) names.push(this.#name(i).toLowerCase());
      else if (kind === TokenKind.Operator && this.#text.slice(this.#tokens[i]!.start, this.#tokens[i]!.end) === "*") names.push("*");
    }
    return names;
  }

  /** `PRAGMA [schema.]name [= value | (value)]`: the allow-list verdict, or undefined to let SQLite judge. */
  #pragma(index: number): Denial | undefined {
    const target = this.#qualifiedName(index);
    if (target === undefined) return undefined; // a syntax error; the engine reports it
    if (target.schema !== undefined) {
      const schema = target.schema.toLowerCase();
      if (schema === "temp") return { kind: "not-authorized" };
      if (schema !== "main") return undefined; // "unknown database", reported by the engine
    }
    let next = target.next;
    let value: string | undefined;
    const kind = this.#kind(next);
    if (kind !== undefined) {
      const isEquals = kind === TokenKind.Operator && (this.#tokenText(next) === "=" || this.#tokenText(next) === "==");
      if (!isEquals && kind !== TokenKind.LeftParen) return undefined;
      const parsed = this.#pragmaValue(next + 1);
      if (parsed === undefined) return undefined;
      value = parsed.value;
      next = parsed.next;
      if (kind === TokenKind.LeftParen) {
        if (this.#kind(next) !== TokenKind.RightParen) return undefined;
        next++;
      }
      if (next < this.#tokens.length) return undefined;
    }
    return isAllowedPragma(target.name, value) ? undefined : { kind: "not-authorized" };
  }

  /** A PRAGMA's value as SQLite hands it to the authorizer: dequoted, with a `-` sign kept. */
  #pragmaValue(index: number): { value: string; next: number } | undefined {
    const token = this.#tokens[index];
    if (token === undefined) return undefined;
    const text = this.#tokenText(index);
    if (token.kind === TokenKind.Operator && (text === "-" || text === "+") && this.#kind(index + 1) === TokenKind.Number) {
      return { value: (text === "-" ? "-" : "") + this.#tokenText(index + 1), next: index + 2 };
    }
    if (token.kind === TokenKind.Number) return { value: text, next: index + 1 };
    if (this.#isName(index)) return { value: this.#name(index), next: index + 1 };
    return undefined;
  }

  #tokenText(index: number): string {
    const token = this.#tokens[index]!;
    return this.#text.slice(token.start, token.end);
  }

  /** `CREATE [TEMP] [UNIQUE|VIRTUAL] TABLE|INDEX|VIEW|TRIGGER [IF NOT EXISTS] [schema.]name …` */
  #create(index: number): void {
    let i = index;
    const temp = this.#word(i) === "TEMP" || this.#word(i) === "TEMPORARY";
    if (temp) i++;
    if (this.#word(i) === "UNIQUE") i++;
    const isVirtual = this.#word(i) === "VIRTUAL";
    if (isVirtual) i++;
    const object = this.#word(i);
    i++;
    if (this.#word(i) === "IF" && this.#word(i + 1) === "NOT" && this.#word(i + 2) === "EXISTS") i += 3;
    const target = this.#qualifiedName(i);
    // SQLite authorizes a new table, view or virtual table as soon as it has parsed its name,
    // before it resolves anything else; indexes and triggers only once their table is found.
    const early = isVirtual || object === "TABLE" || object === "VIEW";
    const deny = (): void => (early ? this.#refuseEarly({ kind: "not-authorized" }) : this.#deny({ kind: "not-authorized" }));
    // TEMP objects live in a separate temporary file that workerd's storage cannot track.
    if (temp || target?.schema?.toLowerCase() === "temp") deny();
    if (target === undefined) return;
    if (!isAllowedName(target.name)) deny();
    i = target.next;
    if (isVirtual) {
      const module = this.#word(i) === "USING" && this.#isName(i + 1) ? this.#name(i + 1).toLowerCase() : "";
      if (!VIRTUAL_TABLE_MODULES.has(module)) deny();
    } else if (object === "INDEX") {
      if (this.#word(i) === "ON") {
        const table = this.#qualifiedName(i + 1);
        if (table !== undefined) {
          this.#notFunctions.add(table.nameIndex);
          this.#checkName(i + 1, "write");
        }
      }
    } else if (object === "TRIGGER") {
      for (let j = i; j < this.#tokens.length; j++) {
        const word = this.#word(j);
        if (word === "ON") {
          this.#checkName(j + 1, "write");
          break;
        }
        if (word === "BEGIN") break;
      }
    } else if (object === "TABLE" && this.#kind(i) === TokenKind.LeftParen) {
      this.#countColumns(i, target.name);
    }
  }

  /** Column definitions of `CREATE TABLE name (…)`: table constraints do not count. */
  #countColumns(open: number, table: string): void {
    const close = this.#closing[open]!;
    const end = close === -1 ? this.#tokens.length : close;
    let columns = 0;
    let itemStart = true;
    let depth = 0;
    for (let j = open + 1; j < end; j++) {
      const kind = this.#kind(j);
      if (kind === TokenKind.LeftParen) depth++;
      else if (kind === TokenKind.RightParen) depth--;
      else if (kind === TokenKind.Comma && depth === 0) {
        itemStart = true;
        continue;
      }
      if (itemStart && depth === 0) {
        itemStart = false;
        const word = this.#word(j);
        if (word !== "CONSTRAINT" && word !== "PRIMARY" && word !== "UNIQUE" && word !== "CHECK" && word !== "FOREIGN") columns++;
        if (columns > MAX_COLUMNS) {
          this.#parseFailure(`too many columns on ${table}`, undefined);
          return;
        }
      }
    }
  }

  /** `DROP TABLE|INDEX|VIEW|TRIGGER [IF EXISTS] [schema.]name` */
  #drop(index: number): void {
    let i = index + 1;
    if (this.#word(i) === "IF" && this.#word(i + 1) === "EXISTS") i += 2;
    this.#checkName(i, "write");
  }

  /** `ALTER TABLE [schema.]name …`, including `RENAME TO newName`. */
  #alter(index: number): void {
    if (this.#word(index) !== "TABLE") return;
    const next = this.#checkName(index + 1, "write");
    if (this.#word(next) === "RENAME" && this.#word(next + 1) === "TO") this.#checkName(next + 2, "write");
  }

  /**
   * Walk every token from `index` with a stack of parenthesis frames, finding table references
   * (FROM/JOIN lists, `INTO`, `UPDATE`, `DELETE FROM`, `IN table`), function calls, argument
   * counts and compound SELECT chains. Returns whether a write verb appears at the top level.
   */
  #walk(index: number): boolean {
    const tokens = this.#tokens;
    const frames: Frame[] = [{ func: undefined, from: undefined, compound: 0 }];
    let pendingFunction: { written: string; offset: number } | undefined;
    let writesAtTop = false;
    for (let k = index; k < tokens.length; k++) {
      const token = tokens[k]!;
      const frame = frames[frames.length - 1]!;
      switch (token.kind) {
        case TokenKind.LeftParen: {
          const inner: Frame = { func: undefined, from: undefined, compound: 0 };
          if (pendingFunction !== undefined) {
            const next = tokens[k + 1];
            const star = next !== undefined && next.kind === TokenKind.Operator && this.#tokenText(k + 1) === "*" && this.#kind(k + 2) === TokenKind.RightParen;
            inner.func = { ...pendingFunction, commas: 0, empty: next?.kind === TokenKind.RightParen || star };
            pendingFunction = undefined;
          } else if (frame.from?.expectTable) {
            // A subquery, or a parenthesised join whose items are tables again.
            frame.from.expectTable = false;
            const first = this.#word(k + 1);
            if (first !== "SELECT" && first !== "WITH" && first !== "VALUES") inner.from = { expectTable: true };
          }
          frames.push(inner);
          continue;
        }
        case TokenKind.RightParen: {
          if (frames.length > 1) {
            const closed = frames.pop()!;
            if (closed.func !== undefined) {
              const count = closed.func.empty ? 0 : closed.func.commas + 1;
              if (count > MAX_FUNCTION_ARGUMENTS) this.#parseFailure(`too many arguments on function ${closed.func.written}`, closed.func.offset);
            }
          }
          continue;
        }
        case TokenKind.Comma:
          if (frame.func !== undefined) frame.func.commas++;
          else if (frame.from !== undefined) frame.from.expectTable = true;
          continue;
        case TokenKind.Semicolon:
          // Between the statements of a trigger body.
          frame.from = undefined;
          frame.compound = 0;
          continue;
        case TokenKind.Word:
        case TokenKind.QuotedId:
        case TokenKind.String:
          break;
        default:
          continue;
      }

      if (frame.from?.expectTable) {
        frame.from.expectTable = false;
        k = this.#checkName(k, "read") - 1;
        continue;
      }

      const word = token.word;
      if (word !== "") {
        if (frames.length === 1 && WRITE_VERBS.has(word) && this.#kind(k + 1) !== TokenKind.LeftParen) writesAtTop = true;
        if (FROM_CLAUSE_END.has(word)) frame.from = undefined;
        switch (word) {
          case "FROM": {
            const before = this.#word(k - 1);
            if (before === "DELETE") {
              k = this.#checkName(k + 1, "write") - 1;
            } else if (before === "DISTINCT" && (this.#word(k - 2) === "IS" || (this.#word(k - 2) === "NOT" && this.#word(k - 3) === "IS"))) {
              // `a IS [NOT] DISTINCT FROM b` is a comparison, not a FROM clause.
            } else {
              frame.from = { expectTable: true };
            }
            continue;
          }
          case "JOIN":
            if (frame.from !== undefined) frame.from.expectTable = true;
            continue;
          case "UNION":
          case "INTERSECT":
          case "EXCEPT":
            frame.compound++;
            if (frame.compound + 1 > MAX_COMPOUND_TERMS) this.#parseFailure("too many terms in compound SELECT", undefined);
            continue;
          case "INTO":
            k = this.#checkName(k + 1, "write") - 1;
            continue;
          case "UPDATE": {
            const next = this.#word(k + 1);
            if (next === "SET" || next === "OF" || next === "ON") continue; // upsert, or a trigger's event
            const target = next === "OR" ? k + 3 : k + 1;
            k = this.#checkName(target, "write") - 1;
            continue;
          }
          case "IN":
            // `x IN table` reads the table; `x IN (…)` is a list or subquery.
            if (this.#isName(k + 1) && !SQLITE_KEYWORDS.has(this.#word(k + 1))) k = this.#checkName(k + 1, "read") - 1;
            continue;
          default:
            break;
        }
      }

      if (this.#isFunctionCall(k, frame)) {
        const name = this.#name(k);
        if (!ALLOWED_FUNCTIONS.has(name.toLowerCase())) this.#deny({ kind: "function", name, offset: token.start });
        pendingFunction = { written: this.#tokenText(k), offset: token.start };
      }
    }
    return writesAtTop;
  }

  /** Whether the name at `k` calls a function: `name(` where an expression may start, and not a CTE. */
  #isFunctionCall(k: number, frame: Frame): boolean {
    const token = this.#tokens[k]!;
    if (this.#kind(k + 1) !== TokenKind.LeftParen || this.#notFunctions.has(k)) return false;
    if (token.kind === TokenKind.String) return false;
    if (token.kind === TokenKind.Word && SQLITE_KEYWORDS.has(token.word) && !FUNCTION_KEYWORDS.has(token.word)) return false;
    const before = this.#tokens[k - 1];
    if (before === undefined) return false;
    switch (before.kind) {
      case TokenKind.Operator:
      case TokenKind.LeftParen:
        break;
      case TokenKind.Comma:
        if (frame.from !== undefined) return false;
        break;
      case TokenKind.Word:
        if (!EXPRESSION_KEYWORDS.has(before.word)) return false;
        break;
      default:
        return false;
    }
    // `WITH a AS (…), b(x, y) AS (…)`: a common table expression with a column list.
    const close = this.#closing[k + 1]!;
    if (close !== -1 && this.#word(close + 1) === "AS") {
      const after = this.#tokens[close + 2];
      if (after?.kind === TokenKind.LeftParen || after?.word === "MATERIALIZED" || after?.word === "NOT") return false;
    }
    return true;
  }
}
