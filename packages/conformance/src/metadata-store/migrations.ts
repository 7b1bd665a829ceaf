import { describe, expect, it } from "vitest";
import { MigrationError, migrate, tableVersionStore, type Migration, type SqlDatabase } from "@cellar/metadata-store";
import { thrownBy, useFixture, type DescribeMetadataStoreOptions } from "./fixture.js";

const MIGRATIONS: Migration[] = [
  { version: 1, name: "create notes", up: "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)" },
  {
    version: 2,
    name: "add tags",
    up: (db) => {
      db.exec("ALTER TABLE notes ADD COLUMN tag TEXT");
      db.prepare("INSERT INTO notes (body, tag) VALUES (?, ?)").run("seeded by migration 2", "seed");
    },
  },
];

function userVersion(db: SqlDatabase): unknown {
  return db.prepare("PRAGMA user_version").raw().get()?.[0];
}

function tables(db: SqlDatabase): unknown[] {
  return db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").raw().all().map((row) => row[0]);
}

/** `migrate()` from `@cellar/metadata-store`, run on this engine. */
export function describeMetadataStoreMigrations(options: DescribeMetadataStoreOptions): void {
  describe(`${options.name}: migrations`, () => {
    const t = useFixture(options.create);

    it("applies pending migrations in order and records the version in user_version", () => {
      const db = t.open();
      expect(migrate(db, MIGRATIONS)).toEqual({ from: 0, to: 2, applied: [1, 2] });
      expect(userVersion(db)).toBe(2);
      expect(db.prepare("SELECT body, tag FROM notes").all()).toEqual([{ body: "seeded by migration 2", tag: "seed" }]);
      expect(tables(db)).toEqual(["notes"]);
    });

    it("running again is a no-op", () => {
      const db = t.open();
      migrate(db, MIGRATIONS);
      expect(migrate(db, MIGRATIONS)).toEqual({ from: 2, to: 2, applied: [] });
      expect(db.prepare("SELECT count(*) AS n FROM notes").get()).toEqual({ n: 1 });
    });

    it("applies only the new migrations when the list grows", () => {
      const db = t.open();
      migrate(db, MIGRATIONS.slice(0, 1));
      expect(userVersion(db)).toBe(1);
      const more = [...MIGRATIONS, { version: 5, name: "index", up: "CREATE INDEX notes_tag ON notes (tag)" }];
      expect(migrate(db, more)).toEqual({ from: 1, to: 5, applied: [2, 5] });
      expect(userVersion(db)).toBe(5);
    });

    it("a failing migration rolls back entirely and leaves the version unchanged", () => {
      const db = t.open();
      const failing: Migration[] = [
        MIGRATIONS[0] as Migration,
        {
          version: 2,
          name: "half done",
          up: (d) => {
            d.exec("CREATE TABLE half (x)");
            d.prepare("INSERT INTO notes (body) VALUES ('from the failed migration')").run();
            d.prepare("INSERT INTO notes (body) VALUES (NULL)").run();
          },
        },
        { version: 3, name: "never reached", up: "CREATE TABLE never (x)" },
      ];
      const error = thrownBy(() => migrate(db, failing));
      expect(error).toBeInstanceOf(MigrationError);
      expect((error as MigrationError).code).toBe("ERR_MIGRATION");
      expect((error as Error).message).toContain("half done");
      expect((error as Error).cause).toMatchObject({ code: "ERR_SQL_CONSTRAINT" });
      expect(userVersion(db)).toBe(1);
      expect(tables(db)).toEqual(["notes"]);
      expect(db.prepare("SELECT count(*) AS n FROM notes").get()).toEqual({ n: 0 });
      expect(db.inTransaction).toBe(false);
    });

    it("a failing SQL-text migration rolls back its earlier statements", () => {
      const db = t.open();
      const error = thrownBy(() =>
        migrate(db, [{ version: 1, name: "broken", up: "CREATE TABLE a (x); CREATE TABLE b (y); INSERT INTO nope VALUES (1);" }]),
      );
      expect(error).toBeInstanceOf(MigrationError);
      expect(userVersion(db)).toBe(0);
      expect(tables(db)).toEqual([]);
    });

    it("refuses a database newer than the code", () => {
      const db = t.open();
      db.exec("PRAGMA user_version = 5");
      const error = thrownBy(() => migrate(db, MIGRATIONS));
      expect(error).toBeInstanceOf(MigrationError);
      expect((error as Error).message).toBe("database schema version 5 is newer than this code supports (2)");
      expect(tables(db)).toEqual([]);
      expect(userVersion(db)).toBe(5);
    });

    it("rejects invalid migration lists before touching the database", () => {
      const db = t.open();
      const invalid: Migration[][] = [
        [{ version: 0, name: "zero", up: "CREATE TABLE a (x)" }],
        [{ version: 1.5, name: "fraction", up: "CREATE TABLE a (x)" }],
        [
          { version: 2, name: "b", up: "CREATE TABLE b (x)" },
          { version: 1, name: "a", up: "CREATE TABLE a (x)" },
        ],
        [
          { version: 1, name: "a", up: "CREATE TABLE a (x)" },
          { version: 1, name: "again", up: "CREATE TABLE c (x)" },
        ],
      ];
      for (const migrations of invalid) {
        expect(thrownBy(() => migrate(db, migrations))).toBeInstanceOf(MigrationError);
      }
      expect(tables(db)).toEqual([]);
      expect(userVersion(db)).toBe(0);
    });

    it("an empty list leaves a new database at version 0", () => {
      const db = t.open();
      expect(migrate(db, [])).toEqual({ from: 0, to: 0, applied: [] });
    });

    it("tableVersionStore keeps the version in its own table and leaves user_version alone", () => {
      const db = t.open();
      const versionStore = tableVersionStore("_cellar_schema");
      expect(migrate(db, MIGRATIONS, { versionStore })).toEqual({ from: 0, to: 2, applied: [1, 2] });
      expect(userVersion(db)).toBe(0);
      expect(db.prepare("SELECT id, version FROM _cellar_schema").all()).toEqual([{ id: 1, version: 2 }]);
      expect(migrate(db, MIGRATIONS, { versionStore })).toEqual({ from: 2, to: 2, applied: [] });
      const failing = [...MIGRATIONS, { version: 3, name: "fails", up: "INSERT INTO nope VALUES (1)" }];
      expect(thrownBy(() => migrate(db, failing, { versionStore }))).toBeInstanceOf(MigrationError);
      expect(versionStore.read(db)).toBe(2);
    });

    it.skipIf(!options.capabilities.persistent)("the recorded version persists across reopen [persistent]", () => {
      const location = t.location("migrated");
      const db = t.track(t.fixture.engine.open(location));
      migrate(db, MIGRATIONS);
      db.close();
      const again = t.track(t.fixture.engine.open(location));
      expect(migrate(again, MIGRATIONS)).toEqual({ from: 2, to: 2, applied: [] });
    });
  });
}
