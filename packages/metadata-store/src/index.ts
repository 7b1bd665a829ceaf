export type * from "./sql-database.js";
export * from "./errors.js";
export * from "./error-mapping.js";
export * from "./bind-params.js";
export * from "./transaction-runner.js";
export * from "./version-store.js";
export * from "./migrations.js";
export * from "./database-files.js";
export * from "./object-id.js";
