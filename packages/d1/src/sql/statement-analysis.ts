import { TokenKind } from "@cellar/metadata-store";
import { isAllowedName } from "./allowed-pragmas.js";
import { NOT_AUTHORIZED, type Denial } from "./denial.js";
import { pragmaVerdict } from "./pragma-verdict.js";
import { walkClauses } from "./clause-walker.js";
import { TRANSACTION_VERBS } from "./sql-keywords.js";
import { TokenList } from "./token-list.js";

export type { Denial } from "./denial.js";
export { MAX_COMPOUND_TERMS, MAX_FUNCTION_ARGUMENTS } from "./clause-walker.js";

/** workerd's `SQLITE_LIMIT_COLUMN`: columns per table and per result set. */
export const MAX_COLUMNS = 100;

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
  readonly #tokens: TokenList;
  /** Name tokens that precede `(` without being function calls (the table of `CREATE INDEX … ON t(…)`). */
  readonly #notFunctions = new Set<number>();
  #afterPrepare: Denial | undefined;
  #parseError: Denial | undefined;

  constructor(text: string) {
    this.#tokens = new TokenList(text);
  }

  run(): StatementAnalysis {
    let i = 0;
    let explain = false;
    if (this.#tokens.word(0) === "EXPLAIN") {
      explain = true;
      i = this.#tokens.word(1) === "QUERY" && this.#tokens.word(2) === "PLAN" ? 3 : 1;
    }
    const verb = this.#tokens.word(i);
    if (verb === "PRAGMA") {
      // A PRAGMA has no clauses to walk; its verdict must come before the engine prepares it.
      return { verb, readOnly: explain, beforePrepare: pragmaVerdict(this.#tokens, i + 1), afterPrepare: undefined, hasParameters: this.#tokens.hasParameters };
    }
    if (TRANSACTION_VERBS.has(verb)) this.#deny({ kind: "transaction" });
    else if (verb === "ATTACH" || verb === "DETACH") this.#deny(NOT_AUTHORIZED);
    else if (verb === "CREATE") this.#create(i + 1);
    else if (verb === "DROP") this.#drop(i + 1);
    else if (verb === "ALTER") this.#alter(i + 1);
    else if (verb === "REINDEX") this.#checkName(i + 1, "write");
    const writesAtTop = walkClauses(this.#tokens, i, {
      checkName: (index, access) => this.#checkName(index, access),
      deny: (denial) => this.#deny(denial),
      parseFailure: (message, offset) => this.#parseFailure(message, offset),
      notFunctions: this.#notFunctions,
    });
    const readOnly = explain || verb === "SELECT" || verb === "VALUES" || (verb === "WITH" && !writesAtTop);
    return { verb, readOnly, beforePrepare: this.#parseError, afterPrepare: this.#afterPrepare, hasParameters: this.#tokens.hasParameters };
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

  /** Judge a reference to a table (or index, view, trigger) at `index`; returns the index after it. */
  #checkName(index: number, access: "read" | "write"): number {
    const reference = this.#tokens.qualifiedName(index);
    if (reference === undefined) return index;
    if (!isAllowedName(reference.name)) {
      this.#deny(access === "read" ? { kind: "read", table: reference.name, names: this.#tokens.allNames() } : NOT_AUTHORIZED);
    } else if (access === "write" && reference.schema?.toLowerCase() === "temp") {
      // workerd allows only reads and updates of the temp schema.
      this.#deny(NOT_AUTHORIZED);
    }
    return reference.next;
  }

  /** `CREATE [TEMP] [UNIQUE|VIRTUAL] TABLE|INDEX|VIEW|TRIGGER [IF NOT EXISTS] [schema.]name …` */
  #create(index: number): void {
    let i = index;
    const temp = this.#tokens.word(i) === "TEMP" || this.#tokens.word(i) === "TEMPORARY";
    if (temp) i++;
    if (this.#tokens.word(i) === "UNIQUE") i++;
    const isVirtual = this.#tokens.word(i) === "VIRTUAL";
    if (isVirtual) i++;
    const object = this.#tokens.word(i);
    i++;
    if (this.#tokens.word(i) === "IF" && this.#tokens.word(i + 1) === "NOT" && this.#tokens.word(i + 2) === "EXISTS") i += 3;
    const target = this.#tokens.qualifiedName(i);
    // SQLite authorizes a new table, view or virtual table as soon as it has parsed its name,
    // before it resolves anything else; indexes and triggers only once their table is found.
    const early = isVirtual || object === "TABLE" || object === "VIEW";
    const deny = (): void => (early ? this.#refuseEarly(NOT_AUTHORIZED) : this.#deny(NOT_AUTHORIZED));
    // TEMP objects live in a separate temporary file that workerd's storage cannot track.
    if (temp || target?.schema?.toLowerCase() === "temp") deny();
    if (target === undefined) return;
    if (!isAllowedName(target.name)) deny();
    i = target.next;
    if (isVirtual) {
      const module = this.#tokens.word(i) === "USING" && this.#tokens.isName(i + 1) ? this.#tokens.name(i + 1).toLowerCase() : "";
      if (!VIRTUAL_TABLE_MODULES.has(module)) deny();
    } else if (object === "INDEX") {
      if (this.#tokens.word(i) === "ON") {
        const table = this.#tokens.qualifiedName(i + 1);
        if (table !== undefined) {
          this.#notFunctions.add(table.nameIndex);
          this.#checkName(i + 1, "write");
        }
      }
    } else if (object === "TRIGGER") {
      for (let j = i; j < this.#tokens.length; j++) {
        const word = this.#tokens.word(j);
        if (word === "ON") {
          this.#checkName(j + 1, "write");
          break;
        }
        if (word === "BEGIN") break;
      }
    } else if (object === "TABLE" && this.#tokens.kind(i) === TokenKind.LeftParen) {
      this.#countColumns(i, target.name);
    }
  }

  /** Column definitions of `CREATE TABLE name (…)`: table constraints do not count. */
  #countColumns(open: number, table: string): void {
    const close = this.#tokens.closing(open);
    const end = close === -1 ? this.#tokens.length : close;
    let columns = 0;
    let itemStart = true;
    let depth = 0;
    for (let j = open + 1; j < end; j++) {
      const kind = this.#tokens.kind(j);
      if (kind === TokenKind.LeftParen) depth++;
      else if (kind === TokenKind.RightParen) depth--;
      else if (kind === TokenKind.Comma && depth === 0) {
        itemStart = true;
        continue;
      }
      if (itemStart && depth === 0) {
        itemStart = false;
        const word = this.#tokens.word(j);
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
    if (this.#tokens.word(i) === "IF" && this.#tokens.word(i + 1) === "EXISTS") i += 2;
    this.#checkName(i, "write");
  }

  /** `ALTER TABLE [schema.]name …`, including `RENAME TO newName`. */
  #alter(index: number): void {
    if (this.#tokens.word(index) !== "TABLE") return;
    const next = this.#checkName(index + 1, "write");
    if (this.#tokens.word(next) === "RENAME" && this.#tokens.word(next + 1) === "TO") this.#checkName(next + 2, "write");
  }
}
