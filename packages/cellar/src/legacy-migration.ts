import { join } from "node:path";
import { sanitisePath } from "@cellar/blob-store";
import { migrateLegacyDatabaseFile, objectDatabasePath, type LegacyMigrationResult, type MigrationLog, type ProductName } from "@cellar/metadata-store";

/**
 * Moves a KV namespace's, R2 bucket's or D1 database's database from the layout of older
 * Miniflare (`<root>/<product>/<sanitisePath(name)>/db.sqlite`, plus `-wal`) to the current one
 * (`<root>/<product>/miniflare-<Class>/<id>.sqlite`), as Miniflare does at startup, with L8's
 * safety (see `migrateLegacyDatabaseFile`): verified copies, an existing target never
 * overwritten, the old files removed last, failures logged and never thrown.
 */
export function migrateLegacyDatabase(root: string, product: Exclude<ProductName, "cache" | "do">, name: string, log: MigrationLog): LegacyMigrationResult {
  return migrateLegacyDatabaseFile(join(root, product, sanitisePath(name), "db.sqlite"), objectDatabasePath(root, product, name), log);
}
