export { createD1Database } from "./create-d1-database.js";
export type { CellarD1Database } from "./d1-database.js";
export {
  DEFAULT_BUSY_RETRY_MS,
  DEFAULT_MAX_DATABASE_SIZE_BYTES,
  type D1DatabaseOptions,
} from "./d1-database-options.js";
export type * from "./d1-types.js";
export { D1_MESSAGES } from "./d1-errors.js";
export { MAX_VALUE_BYTES } from "./d1-values.js";
export { MAX_SQL_BYTES } from "./query-plan.js";
export { MAX_PARAMETERS } from "./sql/statement-parameters.js";
export { MAX_COLUMNS, MAX_COMPOUND_TERMS, MAX_FUNCTION_ARGUMENTS } from "./sql/statement-analysis.js";
export { formatBookmark } from "./bookmark.js";
export { exportD1, type ExportD1Options } from "./export/export-d1.js";
export type { DumpOptions } from "./export/dump-statements.js";
export { importD1, D1ImportError, type ImportD1Options, type ImportD1Progress, type ImportD1Result } from "./import/import-d1.js";
export type { ImportD1Source } from "./import/import-source.js";
export { d1DatabasePath, d1DatabaseIdOf, type D1BindingConfig } from "./layout/d1-database-path.js";
export { migrateLegacyD1Database, type LegacyMigrationResult, type MigrationLog } from "./layout/legacy-migration.js";
// The splitter now lives in @cellar/metadata-store; still exported here for code that imports it from @cellar/d1.
export { splitStatements, type SplitStatements, type StatementSpan } from "@cellar/metadata-store";
