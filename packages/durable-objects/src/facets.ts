import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { unlinkSyncWithRetry } from "@cellar/blob-store";
import type { SqlDatabase, SqlEngine, SqlValue } from "@cellar/metadata-store";
import type { DatabasePool } from "./database-pool.js";
import type { CellarDurableObjectId } from "./durable-object-id.js";
import { CellarDurableObjectStorage } from "./durable-object-storage.js";
import { FacetIndex } from "./facet-index.js";
import { MESSAGES } from "./messages.js";
import { ObjectAlarms } from "./object-alarms.js";
import { ObjectDatabase } from "./object-database.js";
import type { StorageMode } from "./storage-limits.js";

/** A facet database's files: the database and SQLite's companions. */
const DATABASE_SUFFIXES = ["", "-wal", "-shm", "-journal"] as const;

/** The deepest a facet may be, counting the root object as depth 1. */
export const MAX_FACET_DEPTH = 4;
/** The longest facet name, in UTF-8 bytes. */
export const MAX_FACET_NAME_BYTES = 256;

/** What a facet starts with: the value it sees as `ctx.id` (default: its parent's id). */
export interface FacetStartupOptions {
  readonly id?: CellarDurableObjectId | string;
}

/** A running facet, as `ctx.facets.get()` gives it: its `ctx.id` and its own `ctx.storage`. */
export interface FacetHandle {
  readonly id: CellarDurableObjectId | string;
  readonly storage: CellarDurableObjectStorage;
}

/** One running facet. */
interface RunningFacet {
  readonly handle: FacetHandle;
  readonly object: ObjectDatabase;
}

/** Where a root object's facets live. */
export interface FacetTreeOptions {
  readonly engine: SqlEngine;
  /** The namespace directory, or undefined in memory. */
  readonly directory: string | undefined;
  /** The root object's id (64 hex digits), which prefixes every facet file. */
  readonly rootId: string;
  readonly pool: DatabasePool | undefined;
  readonly maxPageCount: number;
  readonly mode: StorageMode;
  readonly now: () => number;
}

/**
 * Every facet of one root object: the `.facets` index, the facets running now, and (in memory)
 * their databases, which outlive an abort as files do.
 */
export class FacetTree {
  readonly #options: FacetTreeOptions;
  #index: FacetIndex | undefined;
  readonly #running = new Map<number, RunningFacet>();
  readonly #memory = new Map<number, SqlDatabase>();
  #aborted: Error | undefined;

  constructor(options: FacetTreeOptions) {
    this.#options = options;
  }

  /** The index, read (and a torn tail truncated) on first use. */
  get index(): FacetIndex {
    if (this.#aborted !== undefined) throw this.#aborted;
    const directory = this.#options.directory;
    if (this.#index === undefined) {
      if (directory !== undefined) mkdirSync(directory, { recursive: true });
      this.#index = new FacetIndex(directory === undefined ? undefined : join(directory, `${this.#options.rootId}.facets`));
    }
    return this.#index;
  }

  /** `<dir>/<rootId>.<n>.sqlite`, or `":memory:"`. */
  location(id: number): string {
    return this.#options.directory === undefined ? ":memory:" : join(this.#options.directory, `${this.#options.rootId}.${id}.sqlite`);
  }

  /** The running facet `id`, starting it (with `startup` run once) if it is not running. */
  start(id: number, depth: number, defaultId: CellarDurableObjectId | string, startup: (() => FacetStartupOptions | undefined) | undefined): FacetHandle {
    if (this.#aborted !== undefined) throw this.#aborted;
    const running = this.#running.get(id);
    if (running !== undefined) return running.handle;
    const options = startup?.() ?? {};
    const facetId = options.id ?? defaultId;
    const location = this.location(id);
    const object = new ObjectDatabase({
      engine: this.#options.engine,
      location,
      pool: this.#options.pool,
      maxPageCount: this.#options.maxPageCount,
      retained: this.#options.directory === undefined ? this.#retained(id) : undefined,
    });
    const alarms = new ObjectAlarms(object, undefined, undefined, this.#options.now);
    const storage = new CellarDurableObjectStorage(object, this.#options.mode, alarms, { tree: this, node: id, depth, id: facetId });
    const handle: FacetHandle = { id: facetId, storage };
    this.#running.set(id, { handle, object });
    return handle;
  }

  /** Aborts `id` and every facet below it that is running: each use of their old handles throws `reason`. */
  abort(id: number, reason: unknown): void {
    for (const facet of this.index.subtree(id)) this.#abortOne(facet, reason);
  }

  /** Aborts `id` and its descendants and deletes their databases (files, or in-memory connections). */
  delete(id: number): void {
    const subtree = this.index.subtree(id);
    const deleted = new Error(MESSAGES.facetDeleted);
    for (const facet of subtree) this.#abortOne(facet, deleted);
    for (const facet of subtree) this.#remove(facet);
  }

  /** Deletes every facet below `parent` (0 = the root): `deleteAll()` of `parent`. */
  deleteChildren(parent: number): void {
    if (this.#aborted !== undefined || (this.#index === undefined && this.#options.directory !== undefined && !this.#indexExists())) return;
    for (const child of this.index.children(parent)) this.delete(child.id);
  }

  /**
   * Replaces facet `dst` (and its descendants) with a copy of `src`'s committed data and of its
   * descendants'; the descendants keep their names under `dst`.
   */
  async clone(src: number | undefined, dst: number): Promise<void> {
    const sources = src === undefined ? [] : this.index.subtree(src);
    // Writes pending in the source commit first, so the copy holds them.
    for (const facet of sources) await this.#running.get(facet)?.object.sync();
    this.delete(dst);
    if (src === undefined) return;
    const copy = (from: number, to: number): void => {
      this.#copy(from, to);
      for (const child of this.index.children(from)) copy(child.id, this.index.assign(to, child.name));
    };
    copy(src, dst);
  }

  /** Waits for every running facet's pending writes (the namespace's `close()`). */
  async sync(): Promise<void> {
    for (const facet of this.#running.values()) await facet.object.sync();
  }

  /** Handles of running facets, for the namespace's `close()` of a file-backed pool. */
  released(): void {
    for (const facet of this.#running.values()) facet.object.released();
  }

  /** Closes every connection (the namespace's `close()`); in memory the data goes with them. */
  close(): void {
    for (const facet of this.#running.values()) facet.object.close();
    for (const db of this.#memory.values()) db.close();
    this.#memory.clear();
  }

  /** The root was aborted (namespace `deleteAll()`): every facet is, and in memory its data is gone. */
  abortAll(reason: Error): void {
    for (const id of [...this.#running.keys()]) this.#abortOne(id, reason);
    for (const db of this.#memory.values()) db.close();
    this.#memory.clear();
    this.#aborted = reason;
  }

  #indexExists(): boolean {
    return existsSync(join(this.#options.directory as string, `${this.#options.rootId}.facets`));
  }

  #abortOne(id: number, reason: unknown): void {
    const running = this.#running.get(id);
    if (running === undefined) return;
    this.#running.delete(id);
    running.object.abort(reason as Error);
  }

  #remove(id: number): void {
    if (this.#options.directory === undefined) {
      this.#memory.get(id)?.close();
      this.#memory.delete(id);
    } else {
      const location = this.location(id);
      // Spec O7: a file another handle still holds (Windows) is retried before the delete fails.
      for (const suffix of DATABASE_SUFFIXES) unlinkSyncWithRetry(location + suffix);
      // Whatever else the engine keeps beside a database (the wasm engine's temporary images).
      this.#options.engine.remove(location);
    }
  }

  #retained(id: number): { open(): SqlDatabase; drop(): void } {
    return {
      open: () => {
        let db = this.#memory.get(id);
        if (db === undefined || !db.open) {
          db = this.#options.engine.open(":memory:");
          this.#memory.set(id, db);
        }
        return db;
      },
      drop: () => this.#remove(id),
    };
  }

  /** Copies facet `from`'s database over facet `to`'s (which has just been deleted). */
  #copy(from: number, to: number): void {
    const running = this.#running.get(from);
    if (this.#options.directory !== undefined) {
      // Closing the source checkpoints its WAL into the main file, which is then copied whole.
      running?.object.close();
      const source = this.location(from);
      if (!existsSync(source)) return;
      // A facet not running here may still have a `-wal` a killed writer (wrangler dev) left:
      // opening and closing it folds that in first (an engine that cannot read a WAL refuses),
      // so the copy never misses committed data.
      if (running === undefined && existsSync(`${source}-wal`)) this.#options.engine.open(source).close();
      copyFileSync(source, this.location(to));
      return;
    }
    const source = running?.object.db ?? this.#memory.get(from);
    if (source === undefined) return;
    const target = this.#retained(to).open();
    copyDatabase(source, target);
  }
}

/** Copies schema and rows between two connections (in-memory facets, which have no file to copy). */
function copyDatabase(source: SqlDatabase, target: SqlDatabase): void {
  const kinds = new Map(source.prepare<{ name: string; type: string }>("SELECT name, type FROM pragma_table_list WHERE schema = 'main'").all().map((row) => [row.name, row.type]));
  const schema = source
    .prepare<{ type: string; name: string; sql: string | null }>("SELECT type, name, sql FROM sqlite_master ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 ELSE 2 END, rowid")
    .all();
  target.transaction(() => {
    // Tables (virtual ones create their own shadow tables), then rows, then indexes, views and triggers.
    for (const entry of schema) {
      if (entry.type !== "table" || entry.sql === null || entry.name.startsWith("sqlite_") || kinds.get(entry.name) === "shadow") continue;
      target.exec(entry.sql);
    }
    const tables = schema.filter((entry) => entry.type === "table" && kinds.get(entry.name) !== "shadow");
    // sqlite_sequence last, once every AUTOINCREMENT table's rows are in.
    tables.sort((a, b) => Number(a.name === "sqlite_sequence") - Number(b.name === "sqlite_sequence"));
    for (const entry of tables) {
      if (entry.name.startsWith("sqlite_") && entry.name !== "sqlite_sequence") continue;
      const rows = source.prepare<unknown[]>(`SELECT * FROM "${entry.name.replaceAll('"', '""')}"`).raw().safeIntegers().all();
      // Copied rows with explicit rowids have moved the target's counters: the source's replace them.
      if (entry.name === "sqlite_sequence") target.exec("DELETE FROM sqlite_sequence");
      if (rows.length === 0) continue;
      const insert = target.prepare(`INSERT INTO "${entry.name.replaceAll('"', '""')}" VALUES (${rows[0]!.map(() => "?").join(", ")})`);
      for (const row of rows) insert.run(...(row as SqlValue[]));
    }
    for (const entry of schema) {
      if (entry.type === "table" || entry.sql === null) continue;
      target.exec(entry.sql);
    }
  });
}

/** Where a storage sits in its root object's facet tree. */
export interface FacetPlace {
  readonly tree: FacetTree;
  /** 0 for the root object, else the facet's id. */
  readonly node: number;
  /** 1 for the root object. */
  readonly depth: number;
  /** What this object or facet sees as `ctx.id`; a child facet's default. */
  readonly id: CellarDurableObjectId | string;
}

/**
 * `ctx.facets` of a root object or facet. Each facet is named within its parent and has its own
 * storage, `<rootId>.<n>.sqlite`, with `n` from the root's `<rootId>.facets` index.
 */
export class CellarDurableObjectFacets {
  readonly #place: FacetPlace;

  /** Use `storage.facets`. */
  constructor(place: FacetPlace) {
    this.#place = place;
  }

  /**
   * The facet `name`, started if it is not running; `startup` (an object, or a function that is
   * only called when the facet starts) gives what it sees as `ctx.id` (default: this object's).
   * A facet that was never used is created empty.
   */
  get(name: string, startup?: FacetStartupOptions | (() => FacetStartupOptions)): FacetHandle {
    const key = checkName(name);
    this.#checkDepth();
    const { tree, node, depth, id } = this.#place;
    const facet = tree.index.assign(node, key);
    return tree.start(facet, depth + 1, id, startup === undefined ? undefined : typeof startup === "function" ? startup : () => startup);
  }

  /**
   * Aborts the facet and its descendants if they are running: every use of their old storage
   * throws `reason`, and the next `get()` starts them afresh (their committed data stays).
   */
  abort(name: string, reason: unknown): void {
    const facet = this.#lookup(name);
    if (facet !== undefined) this.#place.tree.abort(facet, reason);
  }

  /**
   * Aborts the facet (`Facet was deleted.`) and its descendants, and deletes their databases. The
   * name keeps its id: a later `get()` starts an empty facet in the same file.
   */
  delete(name: string): void {
    const facet = this.#lookup(name);
    if (facet !== undefined) this.#place.tree.delete(facet);
  }

  /**
   * Makes facet `dst` a copy of facet `src` (its committed data, and its descendants' under the
   * same names). Whatever `dst` held is deleted first and a running `dst` is aborted
   * (`Facet was deleted.`); `src` keeps running. A `src` that was never used leaves `dst` empty.
   */
  async clone(src: string, dst: string): Promise<void> {
    const source = this.#lookup(src);
    const target = checkName(dst);
    this.#checkDepth();
    const { tree, node } = this.#place;
    const destination = tree.index.assign(node, target);
    if (destination === source) return;
    await tree.clone(source, destination);
  }

  #lookup(name: string): number | undefined {
    return this.#place.tree.index.lookup(this.#place.node, checkName(name));
  }

  #checkDepth(): void {
    if (this.#place.depth + 1 > MAX_FACET_DEPTH) throw new Error(MESSAGES.facetDepth);
  }
}

/** workerd's name rules: not empty, at most 256 UTF-8 bytes; `/` and control characters are accepted. */
function checkName(name: string): string {
  const text = String(name);
  if (text === "") throw new Error(MESSAGES.facetNameEmpty);
  if (Buffer.byteLength(text, "utf8") > MAX_FACET_NAME_BYTES) throw new TypeError(MESSAGES.facetNameTooLong);
  return text;
}
