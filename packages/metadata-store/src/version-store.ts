import type { SqlDatabase } from "./sql-database.js";

/**
 * Where `migrate` keeps a database's schema version. Pluggable because cellar must never add
 * tables to files other programs own (D1 and Durable Object files are the user's; spec L2):
 * those keep it in `PRAGMA user_version`, project-owned databases may use a table.
 *
 * Both methods run inside the migration's transaction, so a version is recorded exactly when
 * the migration's changes commit.
 */
export interface VersionStore {
  /** The current version; 0 for a database no migration has touched. */
  read(db: SqlDatabase): number;
  /** Record `version`; called inside the transaction that applied that migration. */
  write(db: SqlDatabase, version: number): void;
}

/**
 * Keeps the version in the database header (`PRAGMA user_version`, a 32-bit integer). Adds
 * nothing a user can see in `sqlite_master`, so it is safe for foreign-owned files. The default.
 */
export const userVersionStore: VersionStore = {
  read(db) {
    const row = db.prepare<[number]>("PRAGMA user_version").raw().get();
    return row?.[0] ?? 0;
  },
  write(db, version) {
    // PRAGMA takes no parameters; `version` was validated as a positive safe integer.
    db.exec(`PRAGMA user_version = ${version}`);
  },
};

/**
 * Keeps the version in a one-row table `tableName (id INTEGER PRIMARY KEY CHECK (id = 1),
 * version INTEGER NOT NULL)`, created with the first migration. Only for databases cellar owns.
 *
 * @param tableName a plain identifier (letters, digits, `_`; not starting with a digit)
 * @throws TypeError when `tableName` is not a plain identifier
 */
export function tableVersionStore(tableName: string): VersionStore {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(tableName)) {
    throw new TypeError(`Invalid version table name: ${JSON.stringify(tableName)} (use letters, digits and _)`);
  }
  const table = `"${tableName}"`;
  return {
    read(db) {
      const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(tableName);
      if (exists === undefined) return 0;
      const row = db.prepare<[number]>(`SELECT version FROM ${table} WHERE id = 1`).raw().get();
      return row?.[0] ?? 0;
    },
    write(db, version) {
      db.exec(`CREATE TABLE IF NOT EXISTS ${table} (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)`);
      db.prepare(`INSERT INTO ${table} (id, version) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET version = excluded.version`).run(
        version,
      );
    },
  };
}
