import { SqlError } from "@cellar/metadata-store";

/** The runtime's exact texts, for messages cellar composes itself. */
export const D1_MESSAGES = Object.freeze({
  /** Every query was empty after D1's comment filter, or `batch([])`. */
  noStatements: "No SQL statements detected.",
  /** SQLite found no statement: only a comment, or text after the last `;` that is not one. */
  noStatement: "SQL code did not contain a statement.",
  /** The number of bound values differs from the statement's parameters. */
  wrongBindings: "Wrong number of parameter bindings for SQL query.",
  /** A statement before the last one in a multi-statement query has parameters. */
  multiStatementParameters: "When executing multiple SQL statements in a single call, only the last statement can have parameters.",
  /** `BEGIN`, `COMMIT`, `SAVEPOINT`, … in a query. */
  transaction:
    "To execute a transaction, please use the state.storage.transaction() or state.storage.transactionSync() APIs instead of the SQL BEGIN TRANSACTION or SAVEPOINT statements. The JavaScript API is safer because it will automatically roll back on exceptions, and because it interacts correctly with Durable Objects' automatic atomic write coalescing.",
  /** A constraint still violated at commit (deferred foreign keys); SQLite's error follows. */
  constraintReset:
    "Durable Object was reset and rolled back to its last known good state because the application left the database in a state where constraints were violated: ",
  /** `db.dump()`, which only ever worked for alpha databases. */
  dump: "D1_DUMP_ERROR: Status + 404",
  /** Export of a database holding a virtual table. */
  exportVirtualTables: "D1 Export error: cannot export databases with Virtual Tables (fts5)",
});

/**
 * A failed query as the database object reports it, before the binding adds its prefix: the
 * text Miniflare puts in `{ success: false, error }`. `queryIndex` says which query of a request
 * failed (exec uses it for its line number); undefined when the request as a whole failed.
 */
export class D1QueryFailure extends Error {
  /** Index of the failing query in the request, when one query is to blame. */
  queryIndex: number | undefined;
  /** True when SQLite reported the database locked (SQLITE_BUSY/LOCKED): the request may be retried. */
  readonly busy: boolean;
  constructor(message: string, options: { queryIndex?: number; busy?: boolean; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "D1QueryFailure";
    this.queryIndex = options.queryIndex;
    this.busy = options.busy ?? false;
  }
}

/** The error a D1 call rejects with: `D1_ERROR: <failure>`, with the bare text as `cause`, as the binding throws it. */
export function d1Error(failure: string, prefix = "D1_ERROR"): Error {
  return new Error(`${prefix}: ${failure}`, { cause: new Error(failure) });
}

/** SQLite's messages for codes whose engine message cellar replaces with its own (a busy error names the file). */
const PRIMARY_MESSAGES: Readonly<Record<string, string>> = {
  SQLITE_BUSY: "database is locked",
  SQLITE_LOCKED: "database table is locked",
};

/** `SQLITE_CONSTRAINT_PRIMARYKEY` → `SQLITE_CONSTRAINT`. */
export function primaryCode(code: string): string {
  const second = code.indexOf("_", "SQLITE_".length);
  return second === -1 ? code : code.slice(0, second);
}

/**
 * workerd's `dbErrorMessage`: `<message>[ at offset <n>]: <PRIMARY>[ (extended: <EXTENDED>)]`.
 * The extended code is added only when it differs from the primary one.
 */
export function formatSqliteError(message: string, code: string, offset?: number): string {
  const primary = primaryCode(code);
  let text = message;
  if (offset !== undefined) text += ` at offset ${offset}`;
  text += `: ${primary}`;
  if (code !== primary) text += ` (extended: ${code})`;
  return text;
}

/**
 * What the database object reports for an error an engine threw: SQLite's own message in
 * workerd's format when the engine knows the SQLite code, else the message as it is. A busy
 * database is reported as plain `database is locked: SQLITE_BUSY`, since the file name the
 * engine adds is cellar's, not the runtime's.
 */
export function failureFromError(error: unknown, queryIndex?: number): D1QueryFailure {
  if (error instanceof D1QueryFailure) {
    error.queryIndex ??= queryIndex;
    return error;
  }
  if (error instanceof SqlError && error.sqliteCode !== undefined) {
    const primary = primaryCode(error.sqliteCode);
    const busy = error.code === "ERR_SQL_BUSY";
    const message = PRIMARY_MESSAGES[primary] ?? error.message;
    return new D1QueryFailure(formatSqliteError(message, busy ? primary : error.sqliteCode), { queryIndex, busy, cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new D1QueryFailure(message, { queryIndex, cause: error });
}
