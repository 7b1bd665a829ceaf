import { MESSAGES } from "./messages.js";
import type { SqlStatementText, SqlToken } from "./sql-statements.js";

/** SQL statements longer than this (bytes) fail as workerd's SQLITE_LIMIT_SQL_LENGTH makes them. */
export const MAX_STATEMENT_BYTES = 100_000;
/** workerd's SQLITE_LIMIT_VARIABLE_NUMBER. */
export const MAX_PARAMETERS = 100;

const TRANSACTION_WORDS = new Set(["BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"]);
const ALLOWED_PRAGMAS = new Set([
  "TABLE_LIST", "TABLE_INFO", "TABLE_XINFO", "DATA_VERSION", "PAGE_SIZE", "FOREIGN_KEY_CHECK", "FOREIGN_KEY_LIST",
  "INDEX_INFO", "INDEX_LIST", "INDEX_XINFO", "QUICK_CHECK", "OPTIMIZE",
  // Boolean toggles that only change this connection's behaviour.
  "FOREIGN_KEYS", "DEFER_FOREIGN_KEYS", "CASE_SENSITIVE_LIKE", "RECURSIVE_TRIGGERS", "REVERSE_UNORDERED_SELECTS",
  "LEGACY_ALTER_TABLE", "IGNORE_CHECK_CONSTRAINTS", "AUTOMATIC_INDEX", "QUERY_ONLY",
]);
const ALLOWED_MODULES = new Set(["FTS5", "FTS5VOCAB", "RTREE", "RTREE_I32"]);
const CREATED_KINDS = new Set(["TABLE", "INDEX", "TRIGGER", "VIEW"]);

function authError(): Error {
  return new Error(MESSAGES.notAuthorized);
}

const isReserved = (name: string): boolean => name.toLowerCase().startsWith("_cf_");
const isName = (token: SqlToken | undefined): token is SqlToken => token !== undefined && (token.kind === "word" || token.kind === "quoted");
const nameOf = (token: SqlToken): string => (token.kind === "quoted" ? token.value : token.text);

/**
 * What workerd's authorizer would refuse, checked on tokens: transaction statements, ATTACH,
 * TEMP objects, PRAGMAs off the allow-list, virtual tables other than FTS5 and R-tree, and
 * creating, renaming, writing or reading anything named `_cf_*` (case-insensitively, as later
 * workerd does). `reservedTables` maps the `_cf_` tables that exist (lower-cased) to their name
 * and columns, for the read message `access to <table>.<column> is prohibited`.
 */
export function checkStatement(statement: SqlStatementText, reservedTables: (name: string) => { name: string; columns: string[] } | undefined): void {
  const tokens = statement.tokens;
  const first = tokens[0]?.value ?? "";
  if (TRANSACTION_WORDS.has(first)) throw new Error(MESSAGES.sqlTransaction);
  if (first === "ATTACH" || first === "DETACH") throw authError();
  if (first === "PRAGMA") return checkPragma(tokens);
  if (first === "CREATE") checkCreate(tokens);
  if (first === "ALTER") {
    const target = tokens.findIndex((token) => token.value === "TO");
    if (target > 0 && tokens[target - 1]?.value === "RENAME" && isName(tokens[target + 1]) && isReserved(nameOf(tokens[target + 1]!))) throw authError();
  }
  for (const [index, token] of tokens.entries()) {
    if (!isName(token) || !isReserved(nameOf(token))) continue;
    // `schema.name`: look at the part after the dot only.
    if (tokens[index + 1]?.text === ".") continue;
    const table = reservedTables(nameOf(token).toLowerCase());
    if (table === undefined) continue;
    if (first === "SELECT" || first === "WITH" || first === "VALUES") {
      const column = tokens.find((other) => isName(other) && table.columns.includes(nameOf(other))) ?? undefined;
      const columnName = column !== undefined ? nameOf(column) : (table.columns[0] ?? "");
      // An aggregate such as count(*) reads no column; SQLite's authorizer then sees the table read itself.
      if (column === undefined && tokens.some((other) => other.text === "*" && tokens[tokens.indexOf(other) - 1]?.text === "(")) throw authError();
      throw new Error(`access to ${table.name}.${columnName} is prohibited: SQLITE_AUTH`);
    }
    throw authError();
  }
}

function checkPragma(tokens: readonly SqlToken[]): void {
  let name = tokens[1];
  if (tokens[2]?.text === ".") name = tokens[3];
  const pragma = name?.value.toUpperCase() ?? "";
  if (!ALLOWED_PRAGMAS.has(pragma)) throw authError();
  // page_size is readable, never settable.
  if (pragma === "PAGE_SIZE" && tokens.some((token) => token.text === "=")) throw authError();
}

function checkCreate(tokens: readonly SqlToken[]): void {
  let i = 1;
  if (tokens[i]?.value === "TEMP" || tokens[i]?.value === "TEMPORARY") throw authError();
  if (tokens[i]?.value === "UNIQUE") i++;
  const isVirtual = tokens[i]?.value === "VIRTUAL";
  if (isVirtual) i++;
  if (!CREATED_KINDS.has(tokens[i]?.value ?? "")) return;
  i++;
  if (tokens[i]?.value === "IF" && tokens[i + 1]?.value === "NOT" && tokens[i + 2]?.value === "EXISTS") i += 3;
  if (tokens[i + 1]?.text === ".") {
    if (["TEMP", "TEMPORARY"].includes(tokens[i]?.value.toUpperCase() ?? "")) throw authError();
    i += 2;
  }
  const name = tokens[i];
  if (isName(name) && isReserved(nameOf(name))) throw authError();
  if (isVirtual) {
    const using = tokens.findIndex((token) => token.value === "USING");
    if (!ALLOWED_MODULES.has(tokens[using + 1]?.value.toUpperCase() ?? "")) throw authError();
  }
}

/** A statement's parameters mapped to SQLite's indexes, and how to bind positional values to them. */
export interface ParameterPlan {
  /** How many values the statement takes (its largest parameter index). */
  readonly count: number;
  /** The SQL to prepare: parameters rewritten to `?NNN` when any is named or numbered. */
  readonly sql: string;
  /** True when the values bind as `{ "1": v1, ... }` instead of an array. */
  readonly numbered: boolean;
}

/**
 * Numbers parameters as SQLite does: `?` takes the next index, `?NNN` index NNN, and a named
 * parameter the next index at its first appearance. workerd binds `exec`'s values by index, so
 * `:a` is the first value, whatever its name.
 */
export function planParameters(statement: SqlStatementText): ParameterPlan {
  const params = statement.tokens.filter((token) => token.kind === "param");
  const named = new Map<string, number>();
  let max = 0;
  const indexes: number[] = [];
  for (const param of params) {
    let index: number;
    if (param.value === "?") index = max + 1;
    else if (param.value.startsWith("?")) index = Number(param.value.slice(1));
    else index = named.get(param.value) ?? max + 1;
    if (!param.value.startsWith("?")) named.set(param.value, index);
    if (index > MAX_PARAMETERS) throw new Error(`too many SQL variables at offset ${Buffer.byteLength(statement.text.slice(0, param.offset))}: SQLITE_ERROR`);
    max = Math.max(max, index);
    indexes.push(index);
  }
  if (params.every((param) => param.value === "?")) return { count: max, sql: statement.text, numbered: false };
  let sql = "";
  let last = 0;
  params.forEach((param, n) => {
    sql += `${statement.text.slice(last, param.offset)}?${indexes[n]}`;
    last = param.offset + param.text.length;
  });
  return { count: max, sql: sql + statement.text.slice(last), numbered: true };
}
