import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { SqlDatabase, SqlEngine, SqlStatement } from "@cellar/metadata-store";
import type { DatabasePool, PooledOwner } from "./database-pool.js";
import { CREATE_KV_TABLE, PAGE_SIZE } from "./storage-schema.js";

/** Options for one object's database. */
export interface ObjectDatabaseOptions {
  readonly engine: SqlEngine;
  /** `<dir>/<id>.sqlite`, or `":memory:"`. */
  readonly location: string;
  /** Shared by a file-backed namespace's objects; absent in memory, where closing would lose data. */
  readonly pool: DatabasePool | undefined;
  /** `PRAGMA max_page_count`, from the per-object size cap. */
  readonly maxPageCount: number;
  /**
   * An in-memory facet: its connection outlives this handle (an aborted facet keeps its data), so
   * `open` gives the retained connection, `close` leaves it open and `reset` calls `drop`.
   */
  readonly retained?: { open(): SqlDatabase; drop(): void };
}

/** What a commit hook asks for once it has run, right before `COMMIT`. */
export interface CommitFollowUp {
  /** Runs once `COMMIT` has succeeded. */
  readonly after?: () => void;
  /** A write elsewhere that must be durable before this commit is reported durable (its failure is reported by its owner). */
  readonly durableAfter?: Promise<void> | undefined;
}

interface PendingCommit {
  readonly promise: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * One object's SQLite database and its implicit transaction (write coalescing).
 *
 * The first write of a synchronous burst runs `BEGIN`; the commit is scheduled for the next turn
 * of the event loop (`setImmediate`), so every write in the burst commits atomically, and reads in
 * between see them because they share the connection. Explicit async transactions hold the commit
 * back until they end. A file-backed database may be closed by the pool whenever no transaction is
 * open, and is reopened on the next access.
 */
export class ObjectDatabase implements PooledOwner {
  readonly #options: ObjectDatabaseOptions;
  #db: SqlDatabase | undefined;
  #statements = new Map<string, SqlStatement>();
  #kvTable: boolean | undefined;
  #pending: PendingCommit | undefined;
  #scheduled = false;
  #holds = 0;
  /** Set by the namespace's deleteAll: this handle is dead, every use throws it. */
  #aborted: Error | undefined;
  /** Run just before the implicit transaction commits; each returns what to do once it has. */
  readonly #commitHooks = new Set<() => CommitFollowUp | undefined>();

  constructor(options: ObjectDatabaseOptions) {
    this.#options = options;
  }

  /** Where the database lives. */
  get location(): string {
    return this.#options.location;
  }

  get idle(): boolean {
    return this.#pending === undefined && this.#holds === 0 && !(this.#db?.open === true && this.#db.inTransaction);
  }

  released(): void {
    this.#db = undefined;
    this.#statements = new Map();
    this.#kvTable = undefined;
  }

  /** The open connection, (re)opening it if needed. */
  get db(): SqlDatabase {
    if (this.#aborted !== undefined) throw this.#aborted;
    if (this.#db?.open === true) {
      if (this.#options.pool !== undefined) this.#options.pool.acquire(this.location, this, () => undefined);
      return this.#db;
    }
    this.released();
    const setup = (db: SqlDatabase): void => {
      db.exec(`PRAGMA max_page_count = ${this.#options.maxPageCount}`);
    };
    if (this.#options.pool === undefined) {
      this.#db = this.#options.retained?.open() ?? this.#options.engine.open(this.location);
      setup(this.#db);
    } else {
      mkdirSync(dirname(this.location), { recursive: true });
      this.#db = this.#options.pool.acquire(this.location, this, setup);
    }
    return this.#db;
  }

  /** A prepared statement cached for this connection. */
  statement(sql: string): SqlStatement {
    const db = this.db;
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  /** Whether `_cf_KV` exists; reads of a missing table see an empty store. */
  hasKvTable(): boolean {
    this.db;
    this.#kvTable ??= this.statement("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_cf_KV'").get() !== undefined;
    return this.#kvTable;
  }

  /** Creates `_cf_KV` (inside the current write) if needed. */
  ensureKvTable(): void {
    if (this.hasKvTable()) return;
    this.db.exec(CREATE_KV_TABLE);
    this.#kvTable = true;
  }

  /** Forget cached schema facts after user SQL that may have changed the schema. */
  schemaChanged(): void {
    this.#kvTable = undefined;
  }

  /**
   * Opens the implicit transaction unless one is open, and returns the promise of its commit
   * (resolved once the data is durable).
   */
  beginWrite(): Promise<void> {
    const db = this.db;
    if (this.#pending === undefined) {
      let resolve!: () => void;
      let reject!: (error: unknown) => void;
      const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
      // Callers that do not await a write must not crash the process with an unhandled rejection.
      promise.catch(() => undefined);
      this.#pending = { promise, resolve, reject };
    }
    if (!db.inTransaction) db.exec("BEGIN IMMEDIATE");
    this.#schedule();
    return this.#pending.promise;
  }

  /**
   * Registers `hook` for the implicit transaction open now (once, however often it is called):
   * it runs right before `COMMIT`, so it sees exactly what commits (rolled-back savepoints
   * excluded); what it returns says what runs after a successful `COMMIT` and what the commit's
   * durability waits for. A transaction that rolls back runs neither.
   */
  onCommit(hook: () => CommitFollowUp | undefined): void {
    this.#commitHooks.add(hook);
  }

  /** Resolves once the implicit transaction open now (if any) has committed and is durable. */
  async sync(): Promise<void> {
    if (this.#aborted !== undefined) throw this.#aborted;
    if (this.#pending !== undefined) await this.#pending.promise;
    if (this.#db?.open === true) await this.#db.flush();
  }

  /** Holds commits back while an explicit async transaction runs. */
  hold(): void {
    this.#holds++;
  }

  /** Ends a hold; the pending commit runs on the next turn. */
  release(): void {
    this.#holds--;
    if (this.#holds === 0 && this.#pending !== undefined) this.#schedule();
  }

  /** Waits for the implicit transaction to commit (a transaction starts on a clean slate). */
  async settle(): Promise<void> {
    if (this.#pending !== undefined) await this.#pending.promise.catch(() => undefined);
  }

  /** Rolls back the implicit transaction (deleteAll), rejecting nobody: the writes are superseded. */
  rollbackPending(): void {
    const pending = this.#pending;
    this.#pending = undefined;
    this.#commitHooks.clear();
    if (this.#db?.open === true && this.#db.inTransaction) this.#db.exec("ROLLBACK");
    pending?.resolve();
  }

  /** `(page_count - freelist_count) × 4096`, as workerd reports `databaseSize`. */
  databaseSize(): number {
    const pages = this.statement("SELECT (SELECT page_count FROM pragma_page_count) - (SELECT freelist_count FROM pragma_freelist_count) AS n").get() as { n: number };
    return Number(pages.n) * PAGE_SIZE;
  }

  /** Closes the connection (after rolling back nothing: callers commit first). */
  close(): void {
    if (this.#db?.open === true && this.#options.retained === undefined) this.#db.close();
    this.#options.pool?.forget(this.location);
    this.released();
  }

  /** Deletes the database and starts an empty one (deleteAll). */
  reset(): void {
    // A dead handle must never delete the file a fresh object now lives in.
    if (this.#aborted !== undefined) throw this.#aborted;
    this.rollbackPending();
    this.close();
    this.#options.retained?.drop();
    if (this.location !== ":memory:") this.#options.engine.remove(this.location);
  }

  /**
   * The namespace's deleteAll: rolls back pending writes, closes the connection (so the files can
   * be deleted) and makes every later use throw `error`, so an old handle never sees or revives
   * data. Nothing is deleted here.
   */
  abort(error: Error): void {
    if (this.#aborted !== undefined) return;
    this.rollbackPending();
    this.close();
    this.#aborted = error;
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#commit();
    });
  }

  #commit(): void {
    const pending = this.#pending;
    if (pending === undefined || this.#holds > 0) return;
    this.#pending = undefined;
    const db = this.#db;
    const hooks = [...this.#commitHooks];
    this.#commitHooks.clear();
    const after: (() => void)[] = [];
    const waits: Promise<void>[] = [];
    try {
      // A critical error may have made SQLite roll back already; then there is nothing to commit.
      if (db?.open === true && db.inTransaction) {
        for (const hook of hooks) {
          const followUp = hook();
          if (followUp?.after !== undefined) after.push(followUp.after);
          if (followUp?.durableAfter !== undefined) waits.push(followUp.durableAfter.catch(() => undefined));
        }
        db.exec("COMMIT");
      }
    } catch (error) {
      if (db?.open === true && db.inTransaction) db.exec("ROLLBACK");
      pending.reject(error);
      return;
    }
    try {
      for (const then of after) then();
    } catch (error) {
      pending.reject(error);
      return;
    }
    const flush = (): Promise<void> => (db?.open === true ? db.flush() : Promise.resolve());
    (waits.length === 0 ? flush() : Promise.all(waits).then(flush)).then(pending.resolve, pending.reject);
  }
}
