/**
 * The PRAGMAs D1 allows and the argument each takes, as workerd's authorizer decides
 * (`ALLOWED_PRAGMAS` and the `SQLITE_PRAGMA` case in src/workerd/util/sqlite.c++). Everything
 * else (`journal_mode`, `user_version`, `writable_schema`, …) is `not authorized`.
 *
 * Names match exactly, as in workerd: SQLite hands the authorizer the name as written, so
 * `PRAGMA FOREIGN_KEYS` is refused where `PRAGMA foreign_keys` is allowed.
 */

/** What a PRAGMA's argument may be. */
type PragmaSignature =
  | "any" // table_list: anything
  | "table" // table_info, table_xinfo: a name that is not protected (required)
  | "none" // no argument
  | "boolean" // omitted, or a boolean spelling
  | "object" // a name that is not protected (required)
  | "optional-object" // omitted, or a name that is not protected
  | "optional-number" // omitted, or a 32-bit integer
  | "optional-number-or-object"; // omitted, an unsigned integer, or a name that is not protected

const PRAGMAS: ReadonlyMap<string, PragmaSignature> = new Map<string, PragmaSignature>([
  ["table_list", "any"],
  ["table_info", "table"],
  ["table_xinfo", "table"],
  ["data_version", "none"],
  // R*Tree reads the page size with `PRAGMA page_size`; setting it stays refused.
  ["page_size", "none"],
  ["case_sensitive_like", "boolean"],
  ["foreign_keys", "boolean"],
  ["defer_foreign_keys", "boolean"],
  ["ignore_check_constraints", "boolean"],
  ["legacy_alter_table", "boolean"],
  ["recursive_triggers", "boolean"],
  ["reverse_unordered_selects", "boolean"],
  ["foreign_key_check", "optional-object"],
  ["foreign_key_list", "object"],
  ["index_info", "object"],
  ["index_list", "object"],
  ["index_xinfo", "object"],
  ["quick_check", "optional-number-or-object"],
  ["optimize", "optional-number"],
]);

/** The spellings SQLite accepts for a boolean, compared by prefix and case-insensitively as workerd does. */
const BOOLEAN_PREFIXES = ["true", "false", "yes", "no", "on", "off", "1", "0"];

/** True unless `name` is in workerd's reserved `_cf_` namespace (compared case-insensitively). */
export function isAllowedName(name: string): boolean {
  return name.length < 4 || name.slice(0, 4).toLowerCase() !== "_cf_";
}

/**
 * Whether D1 lets a statement run `PRAGMA name` with `value` (the argument as SQLite sees it:
 * dequoted, `-` prefixed for negative numbers; `undefined` when there is none).
 */
export function isAllowedPragma(name: string, value: string | undefined): boolean {
  const signature = PRAGMAS.get(name);
  switch (signature) {
    case undefined:
      return false;
    case "any":
      return true;
    case "table":
    case "object":
      return value !== undefined && isAllowedName(value);
    case "none":
      return value === undefined;
    case "boolean": {
      if (value === undefined) return true;
      const lower = value.toLowerCase();
      return BOOLEAN_PREFIXES.some((prefix) => lower.startsWith(prefix));
    }
    case "optional-object":
      return value === undefined || isAllowedName(value);
    case "optional-number":
      return value === undefined || isInt32(value);
    case "optional-number-or-object":
      return value === undefined || /^\d+$/.test(value) || isAllowedName(value);
  }
}

function isInt32(text: string): boolean {
  if (!/^[+-]?\d+$/.test(text)) return false;
  const value = Number(text);
  return value >= -(2 ** 31) && value < 2 ** 31;
}
