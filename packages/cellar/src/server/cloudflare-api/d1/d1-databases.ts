import { existsSync } from "node:fs";
import { stat } from "node:fs/promises";
import type { CellarD1Database } from "@cellar/d1";
import { objectDatabasePath } from "@cellar/metadata-store";
import type { CellarState } from "../../../open-state.js";
import { API_ERROR_CODES } from "../api-error-codes.js";
import { CloudflareApiError } from "../api-error.js";
import { databaseNotFound } from "./d1-api-errors.js";

/*
 * Which D1 databases exist. A database is its id (`preview_database_id ?? database_id ?? binding`,
 * the name of its file): a name and a separate uuid could only be kept by adding files or tables
 * wrangler's layout does not have, so `name` and `uuid` are both the id, and creating a database
 * named `DB` creates the id `DB`.
 */

/** A database as the API shows it. */
export interface D1DatabaseInfo {
  readonly uuid: string;
  readonly name: string;
  readonly version: "production";
  /** When the file was created; absent in memory. */
  readonly created_at?: string;
  readonly num_tables?: number;
  readonly file_size?: number;
}

/** The database file of an id under the root, or undefined in memory. */
function databaseFile(state: CellarState, id: string): string | undefined {
  return state.root === undefined ? undefined : objectDatabasePath(state.root, "d1", id);
}

/**
 * True when the state knows the database: used in this process, or with a file under the root. A
 * file's name is a one-way hash of the id, so a database is found on disk only by its id.
 */
export function databaseExists(state: CellarState, id: string): boolean {
  if (state.names("d1").includes(id)) return true;
  const file = databaseFile(state, id);
  return file !== undefined && existsSync(file);
}

/** The database for a request on `:database_id`, or `404 7404` (nothing is created). */
export function existingDatabase(state: CellarState, id: string): CellarD1Database {
  if (!databaseExists(state, id)) throw databaseNotFound(id);
  return state.d1(id);
}

async function createdAt(state: CellarState, id: string): Promise<string | undefined> {
  const file = databaseFile(state, id);
  if (file === undefined) return undefined;
  try {
    const stats = await stat(file);
    return (stats.birthtimeMs > 0 ? stats.birthtime : stats.ctime).toISOString();
  } catch {
    return undefined;
  }
}

/** Tables the user made (D1's `_cf_*` and SQLite's own left out) and the size the database reports. */
async function contents(database: CellarD1Database): Promise<{ num_tables: number; file_size: number } | undefined> {
  try {
    const result = await database.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all<{ name: string }>();
    const tables = result.results.filter(({ name }) => !name.startsWith("_cf_") && !name.startsWith("sqlite_"));
    return { num_tables: tables.length, file_size: result.meta.size_after };
  } catch {
    return undefined;
  }
}

/** The listing entry of a database, or with `detailed` the full one (table count and size, read from the database). */
export async function databaseInfo(state: CellarState, id: string, detailed: boolean): Promise<D1DatabaseInfo> {
  const created = await createdAt(state, id);
  const details = detailed ? await contents(state.d1(id)) : undefined;
  return { uuid: id, name: id, version: "production", ...(created === undefined ? {} : { created_at: created }), ...details };
}

/** Creates the database with this id (and its file, under a root): `400 7502` when it exists. */
export async function createDatabase(state: CellarState, name: string): Promise<D1DatabaseInfo> {
  if (databaseExists(state, name)) throw new CloudflareApiError(400, API_ERROR_CODES.d1DatabaseExists, "A database with that name already exists");
  state.d1(name);
  return databaseInfo(state, name, true);
}
