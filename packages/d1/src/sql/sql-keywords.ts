/**
 * SQLite's keywords (`aKeywordTable` in tool/mkkeywordhash.c), upper-case. A bare word in this
 * set is a keyword, not a name, except where SQLite's grammar falls back to treating it as one.
 */
// prettier-ignore
export const SQLITE_KEYWORDS: ReadonlySet<string> = new Set([
  "ABORT", "ACTION", "ADD", "AFTER", "ALL", "ALTER", "ALWAYS", "ANALYZE", "AND", "AS", "ASC",
  "ATTACH", "AUTOINCREMENT", "BEFORE", "BEGIN", "BETWEEN", "BY", "CASCADE", "CASE", "CAST",
  "CHECK", "COLLATE", "COLUMN", "COMMIT", "CONFLICT", "CONSTRAINT", "CREATE", "CROSS", "CURRENT",
  "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP", "DATABASE", "DEFAULT", "DEFERRED",
  "DEFERRABLE", "DELETE", "DESC", "DETACH", "DISTINCT", "DO", "DROP", "END", "EACH", "ELSE",
  "ESCAPE", "EXCEPT", "EXCLUSIVE", "EXCLUDE", "EXISTS", "EXPLAIN", "FAIL", "FILTER", "FIRST",
  "FOLLOWING", "FOR", "FOREIGN", "FROM", "FULL", "GENERATED", "GLOB", "GROUP", "GROUPS", "HAVING",
  "IF", "IGNORE", "IMMEDIATE", "IN", "INDEX", "INDEXED", "INITIALLY", "INNER", "INSERT", "INSTEAD",
  "INTERSECT", "INTO", "IS", "ISNULL", "JOIN", "KEY", "LAST", "LEFT", "LIKE", "LIMIT", "MATCH",
  "MATERIALIZED", "NATURAL", "NO", "NOT", "NOTHING", "NOTNULL", "NULL", "NULLS", "OF", "OFFSET",
  "ON", "OR", "ORDER", "OTHERS", "OUTER", "OVER", "PARTITION", "PLAN", "PRAGMA", "PRECEDING",
  "PRIMARY", "QUERY", "RAISE", "RANGE", "RECURSIVE", "REFERENCES", "REGEXP", "REINDEX", "RELEASE",
  "RENAME", "REPLACE", "RESTRICT", "RETURNING", "RIGHT", "ROLLBACK", "ROW", "ROWS", "SAVEPOINT",
  "SELECT", "SET", "TABLE", "TEMP", "TEMPORARY", "THEN", "TIES", "TO", "TRANSACTION", "TRIGGER",
  "UNBOUNDED", "UNION", "UNIQUE", "UPDATE", "USING", "VACUUM", "VALUES", "VIEW", "VIRTUAL", "WHEN",
  "WHERE", "WINDOW", "WITH", "WITHOUT",
]);

/** Keywords that also name built-in functions (`replace(…)`, `like(…)`, `if(…)`). */
export const FUNCTION_KEYWORDS: ReadonlySet<string> = new Set(["REPLACE", "LIKE", "GLOB", "MATCH", "REGEXP", "IF"]);

/**
 * Keywords after which an expression starts, so `name(` there is a function call rather than a
 * table, a column list or a type such as `VARCHAR(10)`.
 */
// prettier-ignore
export const EXPRESSION_KEYWORDS: ReadonlySet<string> = new Set([
  "SELECT", "WHERE", "AND", "OR", "NOT", "ON", "WHEN", "THEN", "ELSE", "CASE", "BY", "HAVING",
  "RETURNING", "DISTINCT", "ALL", "LIMIT", "OFFSET", "IS", "LIKE", "GLOB", "MATCH", "REGEXP",
  "BETWEEN", "ESCAPE",
]);

/** Keywords that end a FROM clause at the same nesting depth. */
// prettier-ignore
export const FROM_CLAUSE_END: ReadonlySet<string> = new Set([
  "WHERE", "GROUP", "HAVING", "WINDOW", "ORDER", "LIMIT", "UNION", "INTERSECT", "EXCEPT",
  "RETURNING", "SET", "VALUES", "DO", "SELECT",
]);

/** Statement verbs that control transactions, which D1 refuses (it runs each request in one). */
export const TRANSACTION_VERBS: ReadonlySet<string> = new Set(["BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"]);

/** Verbs that write; a `WITH` statement containing one at its top level writes. */
export const WRITE_VERBS: ReadonlySet<string> = new Set(["INSERT", "REPLACE", "UPDATE", "DELETE"]);
