import { afterEach, beforeEach } from "vitest";
import type { SqlDatabase, SqlEngine, SqlEngineCapabilities } from "@cellar/metadata-store";

/** One isolated environment for one test: an engine and a place for databases. */
export interface MetadataStoreFixture {
  /** The engine under test. */
  engine: SqlEngine;
  /** A location for a new database named `name` (a path in a fresh temp dir, or ":memory:" for memory-only engines). */
  location(name: string): string;
  /** Remove everything the fixture created. Databases the suite opened are closed before this runs. */
  cleanup(): Promise<void>;
  /**
   * Backdoor for checking what really reached storage: open `location` through an independent
   * path (a new engine instance, or a reference engine reading the same file), as another process
   * would. Optional; persistence tests fall back to `engine.open`.
   */
  inspect?: {
    open(location: string): SqlDatabase;
  };
}

/** Options of `describeMetadataStore` and of each group. */
export interface DescribeMetadataStoreOptions {
  /** Shown in every test name, e.g. `"better-sqlite3 (file)"`. */
  name: string;
  /** What the engine can do; must equal `engine.capabilities`. Tests needing a capability are skipped without it. */
  capabilities: SqlEngineCapabilities;
  /** A fresh, isolated fixture; called before every test. */
  create(): Promise<MetadataStoreFixture>;
  /**
   * A fresh fixture whose engine stops waiting for another connection's lock after
   * `busyTimeoutMs`. Required for the `[multiProcess]` concurrency tests (they fail without it),
   * because the default timeout of seconds would make them slow.
   */
  createWithBusyTimeout?(busyTimeoutMs: number): Promise<MetadataStoreFixture>;
}

/** What a group's tests use: the current fixture, plus `open`, which closes what it opened after the test. */
export interface FixtureHandle {
  /** The fixture of the running test. */
  readonly fixture: MetadataStoreFixture;
  /** `fixture.location(name)`. */
  location(name?: string): string;
  /** Open `fixture.location(name)` with the fixture's engine; closed after the test. */
  open(name?: string): SqlDatabase;
  /** Close `db` after the test (for databases opened some other way). */
  track(db: SqlDatabase): SqlDatabase;
  /** Open `location` the way persistence checks should: `fixture.inspect.open`, else the engine. */
  inspect(location: string): SqlDatabase;
}

/**
 * Register `beforeEach`/`afterEach` hooks in the current `describe` that give every test its own
 * fixture from `create`, and close every database the test opened before `cleanup`, so a
 * failing test cannot leak an open file into the next one.
 */
export function useFixture(create: () => Promise<MetadataStoreFixture>): FixtureHandle {
  let current: MetadataStoreFixture | undefined;
  const opened: SqlDatabase[] = [];
  beforeEach(async () => {
    current = await create();
  });
  afterEach(async () => {
    for (const db of opened.splice(0).reverse()) {
      try {
        db.close();
      } catch {
        // The test may have broken it on purpose; cleanup must still run.
      }
    }
    const fixture = current;
    current = undefined;
    await fixture?.cleanup();
  });
  const handle: FixtureHandle = {
    get fixture(): MetadataStoreFixture {
      if (current === undefined) throw new Error("No fixture: use the handle inside a test");
      return current;
    },
    location: (name = "main") => handle.fixture.location(name),
    open: (name = "main") => handle.track(handle.fixture.engine.open(handle.location(name))),
    track(db) {
      opened.push(db);
      return db;
    },
    inspect(location) {
      const fixture = handle.fixture;
      return handle.track(fixture.inspect ? fixture.inspect.open(location) : fixture.engine.open(location));
    },
  };
  return handle;
}

/** Run `fn` and return what it threw; fails the test if it did not throw. */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("Expected the call to throw, but it returned");
}

/** Await `promise` and return its rejection reason; fails the test if it resolved. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("Expected the promise to reject, but it resolved");
}
