import { join } from "node:path";
import { migrateLegacyDatabaseFile, type LegacyMigrationResult, type MigrationLog } from "@cellar/metadata-store";
import { sanitisePath } from "@cellar/blob-store";
import { d1DatabasePath } from "./d1-database-path.js";

export type { LegacyMigrationResult, MigrationLog } from "@cellar/metadata-store";

/** The default log: warnings to the console; the debug-level skip message, as Miniflare's, is dropped. */
const WARNINGS_ONLY: MigrationLog = { warn: (message) => console.warn(message) };

/**
 * The legacy layout migration (on-disk-layout §9) for one D1 database, with L8's safety:
 * `<root>/d1/<sanitisePath(id)>/db.sqlite` and its `-wal` are copied to `d1DatabasePath(root, id)`,
 * both copies verified before anything is removed, and the new file created exclusively, so it is
 * never overwritten (see `migrateLegacyDatabaseFile` in @cellar/metadata-store). Errors become a
 * warning (`Error migrating <old> to <new>: <e>`) and a `failed` result; they are never thrown.
 *
 * @param persistRoot the directory holding `d1/` (e.g. `.wrangler/state/v3`)
 * @param databaseId the database id (see `d1DatabaseIdOf`)
 * @param log where messages go; by default warnings go to `console.warn` and debug messages nowhere
 */
export async function migrateLegacyD1Database(persistRoot: string, databaseId: string, log: MigrationLog = WARNINGS_ONLY): Promise<LegacyMigrationResult> {
  return migrateLegacyDatabaseFile(join(persistRoot, "d1", sanitisePath(databaseId), "db.sqlite"), d1DatabasePath(persistRoot, databaseId), log);
}
