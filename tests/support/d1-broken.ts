import type { D1DatabaseLike, D1PreparedStatementLike, D1ResultLike, DescribeD1Options } from "@cellar/conformance";
import type { SqlDatabase } from "@cellar/metadata-store";
import { d1SuiteOptions, openD1 } from "./d1-fixtures.ts";
import type { Backend } from "./backends.ts";

/**
 * Deliberately broken D1 databases for tests/broken/d1-*.broken.ts: each wraps a working
 * `@cellar/d1` database and breaks one rule, so the conformance suite must fail exactly there.
 */

const NATIVE_MEMORY: Backend = { blobs: "memory", engine: "native", database: "memory" };
const NATIVE_FILE: Backend = { blobs: "memory", engine: "native", database: "file" };

/** A database that forwards to `db`, except for `overrides`. */
function delegate(db: D1DatabaseLike, overrides: Partial<D1DatabaseLike>): D1DatabaseLike {
  return {
    prepare: (query) => db.prepare(query),
    batch: (statements) => db.batch(statements),
    exec: (query) => db.exec(query),
    withSession: (constraint) => db.withSession(constraint),
    dump: () => db.dump(),
    ...overrides,
  };
}

/** A statement as the binding's `batch` reads it: its SQL and values, besides the methods. */
type BatchableStatement = D1PreparedStatementLike & { readonly statement: string; readonly params: unknown[] };

/** Suite options whose databases are `wrap(db, sql)` of working ones. */
function brokenOptions(
  name: string,
  backend: Backend,
  wrap: (db: D1DatabaseLike, sql: SqlDatabase) => D1DatabaseLike,
  reopen?: () => Promise<D1DatabaseLike>,
): DescribeD1Options {
  const working = d1SuiteOptions(backend);
  return {
    name,
    capabilities: working.capabilities,
    async create(context) {
      const opened = await openD1(backend, {
        withCfMetadata: context.withCfMetadata,
        ...(context.maxDatabaseSizeBytes === undefined ? {} : { maxDatabaseSizeBytes: context.maxDatabaseSizeBytes }),
      });
      return {
        db: wrap(opened.db, opened.sql),
        cleanup: () => opened.cleanup(),
        reopen: reopen ?? (async () => wrap((await opened.reopen()).db, opened.sql)),
        inspect: {
          async query(text: string) {
            return opened.sql.prepare<unknown[]>(text).raw().all();
          },
        },
      };
    },
  };
}

/** Runs a batch as separate requests: no transaction, so a failure keeps what ran before it. */
export function batchNotAtomic(): DescribeD1Options {
  return brokenOptions("d1 batch without a transaction", NATIVE_MEMORY, (db) =>
    delegate(db, {
      async batch(statements: D1PreparedStatementLike[]): Promise<D1ResultLike[]> {
        if (statements.length === 0) return db.batch(statements);
        const results: D1ResultLike[] = [];
        for (const statement of statements) results.push(await statement.all());
        return results;
      },
    }),
  );
}

/** Forgets everything on reopen, like a store that never wrote its file. */
export function lossyPersistence(): DescribeD1Options {
  const options = brokenOptions("d1 that loses data on reopen", NATIVE_FILE, (db) => db);
  return {
    ...options,
    async create(context) {
      const fixture = await options.create(context);
      const fresh = await openD1(NATIVE_FILE);
      return {
        ...fixture,
        reopen: async () => fresh.db,
        cleanup: async () => {
          await fixture.cleanup();
          await fresh.cleanup();
        },
      };
    },
  };
}

/** Statements the runtime's authorizer refuses, run straight on the SQLite connection instead. */
const UNGUARDED = /^\s*(PRAGMA (?!miniflare_d1_export)|ATTACH|DETACH|BEGIN|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE|CREATE\s+TEMP)|_cf_|sqlite_version/i;

/** A D1 without its authorizer: refused statements run as if nothing checked them. */
export function noRestrictions(): DescribeD1Options {
  return brokenOptions("d1 without restrictions", NATIVE_MEMORY, (db, sql) =>
    delegate(db, {
      prepare(query: string): D1PreparedStatementLike {
        if (!UNGUARDED.test(query)) return db.prepare(query);
        const direct = (values: unknown[]): D1PreparedStatementLike => {
          const execute = async (): Promise<D1ResultLike> => {
            const statement = sql.prepare<Record<string, unknown>>(query);
            const results = statement.reader ? statement.all(...(values as [])) : (statement.run(...(values as [])), []);
            return { success: true, meta: {}, results };
          };
          const statement: BatchableStatement = {
            // What batch() reads, as from any statement.
            statement: query,
            params: values,
            bind: (...next: unknown[]) => direct(next),
            first: async (column?: string) => {
              const row = (await execute()).results[0] as Record<string, unknown> | undefined;
              return row === undefined ? null : column === undefined ? row : row[column];
            },
            run: execute,
            all: execute,
            raw: async () => (await execute()).results.map((row) => Object.values(row as object)),
          };
          return statement;
        };
        return direct([]);
      },
    }),
  );
}

/** BLOBs returned as Uint8Array and `meta` without the fields Q5 adds. */
export function wrongResults(): DescribeD1Options {
  const fix = (result: D1ResultLike): D1ResultLike => {
    const meta = { ...result.meta };
    delete meta["served_by_primary"];
    delete meta["timings"];
    delete meta["total_attempts"];
    const results = result.results.map((row) =>
      Object.fromEntries(Object.entries(row as object).map(([key, value]) => [key, Array.isArray(value) ? new Uint8Array(value as number[]) : value])),
    );
    return { ...result, meta, results };
  };
  const wrapStatement = (statement: D1PreparedStatementLike): BatchableStatement => ({
    // What batch() reads, as from any statement.
    statement: (statement as BatchableStatement).statement,
    params: (statement as BatchableStatement).params,
    bind: (...values: unknown[]) => wrapStatement(statement.bind(...values)),
    first: async (column?: string) => {
      const row = (await statement.all()).results[0];
      if (row === undefined) return null;
      const fixed = fix({ success: true, meta: {}, results: [row] }).results[0] as Record<string, unknown>;
      return column === undefined ? fixed : column in fixed ? fixed[column] : statement.first(column);
    },
    run: async () => fix(await statement.run()),
    all: async () => fix(await statement.all()),
    raw: (options?: { columnNames?: boolean }) => statement.raw(options),
  });
  return brokenOptions("d1 with wrong result values", NATIVE_MEMORY, (db) =>
    delegate(db, { prepare: (query: string) => wrapStatement(db.prepare(query)) }),
  );
}

/** exec errors always say "line 1", as local Miniflare's do (Q1). */
export function execLineOne(): DescribeD1Options {
  return brokenOptions("d1 whose exec reports line 1", NATIVE_MEMORY, (db) =>
    delegate(db, {
      async exec(query: string) {
        try {
          return await db.exec(query);
        } catch (error) {
          throw new Error((error as Error).message.replace(/Error in line \d+/, "Error in line 1"), { cause: (error as Error).cause });
        }
      },
    }),
  );
}
