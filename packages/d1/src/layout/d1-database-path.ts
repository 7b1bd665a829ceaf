import { objectDatabasePath } from "@cellar/metadata-store";

/**
 * Where `wrangler dev` keeps a D1 database under a persist root (`.wrangler/state/v3` or a
 * `--persist-to` directory's `v3`): `<root>/d1/miniflare-D1DatabaseObject/<id>.sqlite`, where
 * `<id>` is `idFromName("miniflare-D1DatabaseObject", databaseId)`. Open that file with a cellar
 * engine and the database you seed is the one `wrangler dev` and `wrangler d1 execute --local` see.
 *
 * @param databaseId the id wrangler uses: `preview_database_id ?? database_id ?? binding`
 *   (see {@link d1DatabaseIdOf})
 */
export function d1DatabasePath(persistRoot: string, databaseId: string): string {
  return objectDatabasePath(persistRoot, "d1", databaseId);
}

/** A `d1_databases` entry of a Wrangler configuration. */
export interface D1BindingConfig {
  readonly binding: string;
  readonly database_id?: string;
  readonly preview_database_id?: string;
}

/** The id wrangler derives a local database's file from: `preview_database_id ?? database_id ?? binding`. */
export function d1DatabaseIdOf(config: D1BindingConfig): string {
  return config.preview_database_id ?? config.database_id ?? config.binding;
}
