import {
  SqlError,
  type SqlColumn,
  type SqlDatabase,
  type SqlEngine,
  type SqlEngineCapabilities,
  type SqlParams,
  type SqlRunResult,
  type SqlStatement,
  type SqlValue,
} from "@cellar/metadata-store";

/**
 * Deliberately broken engines, built by wrapping a real one, for proving that the conformance
 * suite fails when an engine gets something wrong (tests/broken/metadata-store-*.broken.ts).
 */

/** An engine whose databases are wrapped by `wrap` (and that may open another location than asked). */
export function brokenEngine(
  engine: SqlEngine,
  wrap: (db: SqlDatabase, location: string) => SqlDatabase,
  options: { capabilities?: SqlEngineCapabilities; openLocation?: (location: string) => string } = {},
): SqlEngine {
  return {
    name: `broken ${engine.name}`,
    capabilities: options.capabilities ?? engine.capabilities,
    open: (location) => wrap(engine.open(options.openLocation?.(location) ?? location), location),
    remove: (location) => engine.remove(options.openLocation?.(location) ?? location),
  };
}

/** Delegates everything; subclasses override one behaviour to break it. */
export class DatabaseWrapper implements SqlDatabase {
  constructor(
    protected readonly inner: SqlDatabase,
    private readonly reportedLocation = inner.location,
  ) {}
  get location(): string {
    return this.reportedLocation;
  }
  get open(): boolean {
    return this.inner.open;
  }
  get inTransaction(): boolean {
    return this.inner.inTransaction;
  }
  prepare<Row = Record<string, SqlValue>>(sql: string): SqlStatement<Row> {
    return this.wrapStatement(this.inner.prepare<Row>(sql));
  }
  protected wrapStatement<Row>(statement: SqlStatement<Row>): SqlStatement<Row> {
    return statement;
  }
  exec(sql: string): void {
    this.inner.exec(sql);
  }
  transaction<T>(fn: () => T): T {
    return this.inner.transaction(fn);
  }
  flush(): Promise<void> {
    return this.inner.flush();
  }
  close(): void {
    this.inner.close();
  }
}

/** Delegates everything; subclasses override one behaviour to break it. */
export class StatementWrapper<Row> implements SqlStatement<Row> {
  constructor(protected readonly inner: SqlStatement<Row>) {}
  get source(): string {
    return this.inner.source;
  }
  get reader(): boolean {
    return this.inner.reader;
  }
  run(...params: SqlParams): SqlRunResult {
    return this.inner.run(...params);
  }
  get(...params: SqlParams): Row | undefined {
    return this.inner.get(...params);
  }
  all(...params: SqlParams): Row[] {
    return this.inner.all(...params);
  }
  iterate(...params: SqlParams): IterableIterator<Row> {
    return this.inner.iterate(...params);
  }
  columns(): SqlColumn[] {
    return this.inner.columns();
  }
  raw(enabled?: boolean): this {
    this.inner.raw(enabled);
    return this;
  }
  safeIntegers(enabled?: boolean): this {
    this.inner.safeIntegers(enabled);
    return this;
  }
}

/** `transaction(fn)` just calls `fn`: nothing is ever rolled back. */
export class NoRollbackDatabase extends DatabaseWrapper {
  override transaction<T>(fn: () => T): T {
    return fn();
  }
}

/** Nested `transaction(fn)` calls run inline instead of in a savepoint: an inner failure cannot be undone alone. */
export class FlatSavepointsDatabase extends DatabaseWrapper {
  #depth = 0;
  override transaction<T>(fn: () => T): T {
    if (this.#depth > 0) return fn();
    this.#depth++;
    try {
      return this.inner.transaction(fn);
    } finally {
      this.#depth--;
    }
  }
}

/**
 * Two classic statement bugs: `changes` read from `sqlite3_changes()` without checking that the
 * statement changed anything (it then repeats the previous statement's count), and
 * `safeIntegers()` accepted but ignored.
 */
export class BadStatementsDatabase extends DatabaseWrapper {
  lastChanges = 0;
  protected override wrapStatement<Row>(statement: SqlStatement<Row>): SqlStatement<Row> {
    return new BadStatement(statement, this);
  }
}

class BadStatement<Row> extends StatementWrapper<Row> {
  constructor(
    inner: SqlStatement<Row>,
    private readonly db: BadStatementsDatabase,
  ) {
    super(inner);
  }
  override run(...params: SqlParams): SqlRunResult {
    const result = this.inner.run(...params);
    if (result.changes > 0) this.db.lastChanges = result.changes;
    return { changes: result.changes || this.db.lastChanges, lastInsertRowid: result.lastInsertRowid };
  }
  override safeIntegers(): this {
    return this;
  }
}

/** Throws the engine's raw error instead of a mapped `SqlError` (no codes, no classes). */
export class UnmappedErrorsDatabase extends DatabaseWrapper {
  override prepare<Row = Record<string, SqlValue>>(sql: string): SqlStatement<Row> {
    return new UnmappedStatement(unmapped(() => this.inner.prepare<Row>(sql)));
  }
  override exec(sql: string): void {
    unmapped(() => this.inner.exec(sql));
  }
}

class UnmappedStatement<Row> extends StatementWrapper<Row> {
  override run(...params: SqlParams): SqlRunResult {
    return unmapped(() => this.inner.run(...params));
  }
  override get(...params: SqlParams): Row | undefined {
    return unmapped(() => this.inner.get(...params));
  }
  override all(...params: SqlParams): Row[] {
    return unmapped(() => this.inner.all(...params));
  }
}

function unmapped<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw error instanceof SqlError && error.cause !== undefined ? error.cause : error;
  }
}
