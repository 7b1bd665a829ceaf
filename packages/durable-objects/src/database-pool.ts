import type { SqlDatabase, SqlEngine } from "@cellar/metadata-store";

/** An object whose database the pool may close while it is idle. */
export interface PooledOwner {
  /** False while the owner holds state tied to the connection (an open transaction, a pending commit). */
  readonly idle: boolean;
  /** Called after the pool closed the owner's database, so it drops prepared statements. */
  released(): void;
}

interface Entry {
  readonly db: SqlDatabase;
  readonly owner: PooledOwner;
  lastUsed: number;
}

/**
 * Caps how many object databases a file-backed namespace keeps open. A namespace may hold
 * thousands of objects; opening one must not open the others, and the least recently used idle
 * ones are closed (and transparently reopened on their next use) so file handles stay bounded.
 * Objects idle for longer than `idleMs` are closed too, as workerd evicts idle objects.
 */
export class DatabasePool {
  readonly #engine: SqlEngine;
  readonly #max: number;
  readonly #idleMs: number;
  readonly #now: () => number;
  /** Insertion order is recency order: a use moves the entry to the end. */
  readonly #open = new Map<string, Entry>();

  constructor(options: { engine: SqlEngine; maxOpen: number; idleMs: number; now: () => number }) {
    this.#engine = options.engine;
    this.#max = options.maxOpen;
    this.#idleMs = options.idleMs;
    this.#now = options.now;
  }

  /** How many databases are open now. */
  get size(): number {
    return this.#open.size;
  }

  /** The open database at `location`, opening it (and evicting others) if needed. `setup` runs once per fresh connection. */
  acquire(location: string, owner: PooledOwner, setup: (db: SqlDatabase) => void): SqlDatabase {
    const now = this.#now();
    const entry = this.#open.get(location);
    if (entry !== undefined && entry.db.open) {
      this.#open.delete(location);
      entry.lastUsed = now;
      this.#open.set(location, entry);
      return entry.db;
    }
    this.#evict(now);
    const db = this.#engine.open(location);
    try {
      setup(db);
    } catch (error) {
      db.close();
      throw error;
    }
    this.#open.set(location, { db, owner, lastUsed: now });
    return db;
  }

  /** Forgets `location` after its owner closed the database itself (deleteAll, close). */
  forget(location: string): void {
    this.#open.delete(location);
  }

  /** Closes every idle database (all of them when `force`). */
  closeAll(force = false): void {
    for (const [location, entry] of [...this.#open]) {
      if (!force && !entry.owner.idle) continue;
      this.#close(location, entry);
    }
  }

  #evict(now: number): void {
    for (const [location, entry] of [...this.#open]) {
      const over = this.#open.size >= this.#max;
      const stale = now - entry.lastUsed >= this.#idleMs;
      if (!over && !stale) break;
      if (entry.owner.idle) this.#close(location, entry);
    }
  }

  #close(location: string, entry: Entry): void {
    this.#open.delete(location);
    entry.db.close();
    entry.owner.released();
  }
}
