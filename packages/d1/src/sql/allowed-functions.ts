/**
 * The SQL functions workerd's authorizer lets D1 queries call (`ALLOWED_SQLITE_FUNCTIONS` in
 * workerd's src/workerd/util/sqlite.c++). Any other built-in, such as `sqlite_version()` or
 * `sqlite_source_id()` (which reveal build details), fails with
 * `not authorized to use function: <name>`. Names are SQLite's canonical lower-case ones.
 */
// prettier-ignore
export const ALLOWED_FUNCTIONS: ReadonlySet<string> = new Set([
  // Core functions.
  "abs", "changes", "char", "coalesce", "concat", "concat_ws", "format", "glob", "hex", "ifnull",
  "iif", "instr", "last_insert_rowid", "length", "like", "likelihood", "likely", "load_extension",
  "lower", "ltrim", "max_scalar", "min_scalar", "nullif", "octet_length", "printf", "quote",
  "random", "randomblob", "replace", "round", "rtrim", "sign", "soundex", "substr", "substring",
  "total_changes", "trim", "typeof", "unhex", "unicode", "unlikely", "upper", "zeroblob",
  // Date and time.
  "date", "time", "datetime", "julianday", "unixepoch", "strftime", "timediff", "current_date",
  "current_time", "current_timestamp",
  // Aggregates.
  "avg", "count", "group_concat", "max", "min", "string_agg", "sum", "total",
  // Window functions.
  "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag", "lead",
  "first_value", "last_value", "nth_value",
  // Math.
  "acos", "acosh", "asin", "asinh", "atan", "atan2", "atanh", "ceil", "cos", "cosh", "degrees",
  "exp", "floor", "ln", "log", "log2", "mod", "pi", "pow", "radians", "sin", "sinh", "sqrt", "tan",
  "tanh", "trunc",
  // JSON.
  "json", "jsonb", "json_array", "jsonb_array", "json_array_length", "json_extract",
  "jsonb_extract", "->", "->>", "json_insert", "jsonb_insert", "json_object", "jsonb_object",
  "json_patch", "jsonb_patch", "json_remove", "jsonb_remove", "json_replace", "jsonb_replace",
  "json_set", "jsonb_set", "json_type", "json_valid", "json_quote", "json_group_array",
  "jsonb_group_array", "json_group_object", "jsonb_group_object", "json_each", "json_tree",
  // FTS5 and R*Tree.
  "match", "highlight", "bm25", "snippet", "rtreecheck",
  // Used internally by ALTER TABLE.
  "sqlite_rename_column", "sqlite_rename_table", "sqlite_rename_test", "sqlite_drop_column",
  "sqlite_rename_quotefix",
]);

