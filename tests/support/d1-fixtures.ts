import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { D1Fixture, D1SuiteCapabilities, DescribeD1Options } from "@cellar/conformance";
import { createD1Database, d1DatabasePath, type CellarD1Database, type D1DatabaseOptions } from "@cellar/d1";
import type { SqlDatabase } from "@cellar/metadata-store";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";
import { backendName, engineOf, type Backend } from "./backends.ts";

/** workerd's internal table, as a file `wrangler dev` opened holds it (bookmark counter at key 2). */
const CF_METADATA = "CREATE TABLE _cf_METADATA (key INTEGER PRIMARY KEY, value BLOB); INSERT INTO _cf_METADATA VALUES (2, 41);";

/** What the D1 gateway can do on `backend`, as the conformance suite reads it. */
export function d1Capabilities(backend: Backend): D1SuiteCapabilities {
  const file = backend.database === "file";
  const native = backend.engine === "native";
  return {
    persistent: file,
    inspect: file,
    multiConnection: file && native,
    numbersBindAsReal: native,
    fts5: native,
    sizeLimit: true,
    exportPragma: true,
    cfMetadata: true,
  };
}

/** A D1 database on `backend` in a fresh temp directory, at the path `wrangler dev` would use. */
export interface OpenedD1 {
  readonly db: CellarD1Database;
  readonly sql: SqlDatabase;
  /** The database file, or ":memory:". */
  readonly location: string;
  readonly dir: string;
  reopen(): Promise<OpenedD1>;
  cleanup(): Promise<void>;
}

export interface OpenD1Options extends Partial<Omit<D1DatabaseOptions, "database">> {
  readonly withCfMetadata?: boolean;
}

export async function openD1(backend: Backend, options: OpenD1Options = {}): Promise<OpenedD1> {
  const dir = await mkdtemp(join(tmpdir(), "cellar-d1-"));
  const engine = await engineOf(backend);
  const location = backend.database === "file" ? d1DatabasePath(join(dir, "v3"), "DB") : ":memory:";
  if (location !== ":memory:") await mkdir(dirname(location), { recursive: true });
  const { withCfMetadata, ...d1Options } = options;
  const open = (first: boolean): OpenedD1 => {
    const sql = engine.open(location);
    if (first && withCfMetadata === true) sql.exec(CF_METADATA);
    const db = createD1Database({ ...d1Options, database: sql });
    return {
      db,
      sql,
      location,
      dir,
      async reopen() {
        await sql.flush();
        sql.close();
        return open(false);
      },
      async cleanup() {
        if (sql.open) sql.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  };
  return open(true);
}

/** The conformance suite's options for one backend. */
export function d1SuiteOptions(backend: Backend): DescribeD1Options {
  const capabilities = d1Capabilities(backend);
  return {
    name: `d1 (${backendName(backend, { blobs: false })})`,
    capabilities,
    async create(context) {
      let opened = await openD1(backend, {
        withCfMetadata: context.withCfMetadata,
        ...(context.maxDatabaseSizeBytes === undefined ? {} : { maxDatabaseSizeBytes: context.maxDatabaseSizeBytes }),
      });
      const extra: SqlDatabase[] = [];
      const fixture: D1Fixture = {
        get db() {
          return opened.db;
        },
        async cleanup() {
          for (const sql of extra) if (sql.open) sql.close();
          await opened.cleanup();
        },
        async reopen() {
          opened = await opened.reopen();
          return opened.db;
        },
        async second() {
          const sql = (await engineOf(backend)).open(opened.location);
          extra.push(sql);
          return createD1Database({ database: sql });
        },
        inspect: {
          async query(text) {
            // An independent native connection, as another process reading the file.
            const reader = createSqliteEngine().open(opened.location);
            try {
              return reader.prepare<unknown[]>(text).raw().all();
            } finally {
              reader.close();
            }
          },
        },
      };
      return fixture;
    },
  };
}
