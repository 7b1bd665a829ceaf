import { describe, expect, it } from "vitest";
import { MigrationError } from "../src/errors.js";
import { migrate, type Migration } from "../src/migrations.js";
import type { SqlDatabase } from "../src/sql-database.js";
import { tableVersionStore, type VersionStore } from "../src/version-store.js";

/** A database that must not be touched: validation happens before any SQL runs. */
const untouchable = new Proxy({} as SqlDatabase, {
  get(_target, property) {
    throw new Error(`the database was touched (${String(property)})`);
  },
});

/** An in-memory stand-in: records what ran, keeps the version in a variable, no SQL engine. */
function fakeDatabase(initialVersion = 0): { db: SqlDatabase; store: VersionStore; ran: string[]; version(): number } {
  let version = initialVersion;
  const ran: string[] = [];
  const db = {
    exec: (sql: string) => void ran.push(sql),
    transaction: <T>(fn: () => T): T => {
      const saved = version;
      const mark = ran.length;
      try {
        return fn();
      } catch (error) {
        version = saved;
        ran.length = mark;
        throw error;
      }
    },
  } as unknown as SqlDatabase;
  const store: VersionStore = { read: () => version, write: (_db, v) => void (version = v) };
  return { db, store, ran, version: () => version };
}

describe("migrate", () => {
  it.each<[string, unknown]>([
    ["a zero version", [{ version: 0, name: "x", up: "" }]],
    ["a negative version", [{ version: -1, name: "x", up: "" }]],
    ["a fractional version", [{ version: 1.5, name: "x", up: "" }]],
    ["a repeated version", [{ version: 1, name: "a", up: "" }, { version: 1, name: "b", up: "" }]],
    ["a decreasing version", [{ version: 2, name: "a", up: "" }, { version: 1, name: "b", up: "" }]],
    ["a missing name", [{ version: 1, up: "" }]],
    ["a missing up", [{ version: 1, name: "x" }]],
    ["not an array", "CREATE TABLE x (a)"],
  ])("rejects %s with MigrationError before touching the database", (_label, migrations) => {
    expect(() => migrate(untouchable, migrations as Migration[])).toThrow(MigrationError);
  });

  it("runs pending migrations each in its own transaction with its version", () => {
    const { db, store, ran, version } = fakeDatabase(1);
    const result = migrate(
      db,
      [
        { version: 1, name: "one", up: "one" },
        { version: 2, name: "two", up: "two" },
        { version: 4, name: "four", up: (d) => d.exec("four") },
      ],
      { versionStore: store },
    );
    expect(result).toEqual({ from: 1, to: 4, applied: [2, 4] });
    expect(ran).toEqual(["two", "four"]);
    expect(version()).toBe(4);
  });

  it("wraps a failure in MigrationError naming the migration, with the cause", () => {
    const { db, store, version } = fakeDatabase();
    const cause = new Error("no such table: x");
    let error: unknown;
    try {
      migrate(
        db,
        [
          { version: 1, name: "ok", up: "ok" },
          {
            version: 2,
            name: "broken",
            up: () => {
              throw cause;
            },
          },
        ],
        { versionStore: store },
      );
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as Error).message).toBe("migration 2 (broken) failed: no such table: x");
    expect((error as Error).cause).toBe(cause);
    expect(version()).toBe(1);
  });

  it("skips a migration another connection applied in the meantime", () => {
    const { db, store, ran } = fakeDatabase();
    let reads = 0;
    const racing: VersionStore = { read: (d) => (reads++ === 0 ? 0 : 1), write: store.write };
    expect(migrate(db, [{ version: 1, name: "one", up: "one" }], { versionStore: racing })).toEqual({ from: 0, to: 1, applied: [] });
    expect(ran).toEqual([]);
  });
});

describe("tableVersionStore", () => {
  it("accepts plain identifiers only", () => {
    expect(() => tableVersionStore("_cellar_schema")).not.toThrow();
    for (const name of ["", "1abc", 'x"; DROP TABLE y; --', "a b", "a.b"]) expect(() => tableVersionStore(name)).toThrow(TypeError);
  });
});
