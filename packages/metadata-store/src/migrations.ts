import { MigrationError } from "./errors.js";
import type { SqlDatabase } from "./sql-database.js";
import { userVersionStore, type VersionStore } from "./version-store.js";

/** One schema step. Versions are positive integers, strictly increasing through the list. */
export interface Migration {
  /** The version the database has once this migration is applied. */
  readonly version: number;
  /** A short label for messages, e.g. `"create entries"`. */
  readonly name: string;
  /** SQL text (may hold several statements) or a function; runs inside the migration's transaction. */
  readonly up: string | ((db: SqlDatabase) => void);
}

/** Options of {@link migrate}. */
export interface MigrateOptions {
  /** Where the version is kept; {@link userVersionStore} (`PRAGMA user_version`) by default. */
  readonly versionStore?: VersionStore;
}

/** What {@link migrate} did. */
export interface MigrationResult {
  /** The version before the call. */
  readonly from: number;
  /** The version after the call. */
  readonly to: number;
  /** Versions applied by this call, in order (empty when the database was up to date). */
  readonly applied: number[];
}

/**
 * Bring `db` up to the last version in `migrations`.
 *
 * Each pending migration runs in its own transaction together with recording its version, so a
 * crash or a failure leaves the database at the previous version with none of the failed
 * migration's changes. The version is re-read inside each transaction (which holds the write
 * lock), so two processes migrating one file at once apply each step exactly once.
 *
 * @throws MigrationError when the list is invalid, when the database is newer than the last
 *   known migration, or when a migration fails (the SQLite error as `cause`)
 */
export function migrate(db: SqlDatabase, migrations: readonly Migration[], options: MigrateOptions = {}): MigrationResult {
  validate(migrations);
  const store = options.versionStore ?? userVersionStore;
  const latest = migrations.at(-1)?.version ?? 0;
  const from = store.read(db);
  checkNotNewer(from, latest);
  const applied: number[] = [];
  let to = from;
  for (const migration of migrations) {
    if (migration.version <= to) continue;
    const ran = runOne(db, store, migration, latest);
    if (ran) applied.push(migration.version);
    to = migration.version;
  }
  return { from, to, applied };
}

function runOne(db: SqlDatabase, store: VersionStore, migration: Migration, latest: number): boolean {
  try {
    return db.transaction(() => {
      const current = store.read(db);
      checkNotNewer(current, latest);
      // Another connection applied it between our first read and taking the write lock.
      if (current >= migration.version) return false;
      if (typeof migration.up === "string") db.exec(migration.up);
      else migration.up(db);
      store.write(db, migration.version);
      return true;
    });
  } catch (error) {
    if (error instanceof MigrationError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationError(`migration ${migration.version} (${migration.name}) failed: ${reason}`, { cause: error });
  }
}

function checkNotNewer(version: number, latest: number): void {
  if (version > latest) {
    throw new MigrationError(`database schema version ${version} is newer than this code supports (${latest})`);
  }
}

function validate(migrations: readonly Migration[]): void {
  if (!Array.isArray(migrations)) throw new MigrationError("migrations must be an array");
  let previous = 0;
  for (const [index, migration] of migrations.entries()) {
    const { version, name, up } = (migration ?? {}) as Partial<Migration>;
    const label = `migration at index ${index}`;
    if (typeof version !== "number" || !Number.isSafeInteger(version) || version <= 0) {
      throw new MigrationError(`${label}: version must be a positive integer, got ${String(version)}`);
    }
    if (version <= previous) {
      throw new MigrationError(`${label}: versions must be strictly increasing, got ${version} after ${previous}`);
    }
    if (typeof name !== "string") throw new MigrationError(`${label}: name must be a string`);
    if (typeof up !== "string" && typeof up !== "function") {
      throw new MigrationError(`${label}: up must be SQL text or a function`);
    }
    previous = version;
  }
}
