import { describe, expect, it } from "vitest";
import { SqlError, type SqlDatabase } from "@cellar/metadata-store";
import { thrownBy, useFixture, type DescribeMetadataStoreOptions } from "./fixture.js";

function setup(db: SqlDatabase): { add(name: string): void; names(): string[] } {
  db.exec("CREATE TABLE items (name TEXT PRIMARY KEY)");
  const insert = db.prepare("INSERT INTO items (name) VALUES (?)");
  const select = db.prepare<[string]>("SELECT name FROM items ORDER BY name").raw();
  return {
    add: (name) => void insert.run(name),
    names: () => select.all().map((row) => row[0]),
  };
}

/** `transaction(fn)`: commit, rollback, savepoint nesting, the promise check, `inTransaction`. */
export function describeMetadataStoreTransactions(options: DescribeMetadataStoreOptions): void {
  describe(`${options.name}: transactions`, () => {
    const t = useFixture(options.create);

    it("commits when fn returns, and returns fn's value", () => {
      const db = t.open();
      const items = setup(db);
      const result = db.transaction(() => {
        items.add("a");
        items.add("b");
        return 42;
      });
      expect(result).toBe(42);
      expect(items.names()).toEqual(["a", "b"]);
      expect(db.inTransaction).toBe(false);
    });

    it("rolls back when fn throws and rethrows the same error; the data is unchanged", () => {
      const db = t.open();
      const items = setup(db);
      items.add("kept");
      const boom = new Error("boom");
      const error = thrownBy(() =>
        db.transaction(() => {
          items.add("lost-1");
          db.exec("UPDATE items SET name = 'changed' WHERE name = 'kept'");
          items.add("lost-2");
          throw boom;
        }),
      );
      expect(error).toBe(boom);
      expect(items.names()).toEqual(["kept"]);
      expect(db.inTransaction).toBe(false);
    });

    it("rolls back when a statement inside fails and the error propagates", () => {
      const db = t.open();
      const items = setup(db);
      items.add("dup");
      const error = thrownBy(() =>
        db.transaction(() => {
          items.add("new");
          items.add("dup");
        }),
      );
      expect(error).toBeInstanceOf(SqlError);
      expect((error as SqlError).code).toBe("ERR_SQL_CONSTRAINT");
      expect(items.names()).toEqual(["dup"]);
    });

    it("a failed statement that fn catches does not abort the transaction", () => {
      const db = t.open();
      const items = setup(db);
      items.add("dup");
      db.transaction(() => {
        items.add("a");
        expect(() => items.add("dup")).toThrow(SqlError);
        items.add("b");
      });
      expect(items.names()).toEqual(["a", "b", "dup"]);
    });

    it("a nested transaction commits together with the outer one", () => {
      const db = t.open();
      const items = setup(db);
      db.transaction(() => {
        items.add("outer");
        db.transaction(() => items.add("inner"));
        expect(db.inTransaction).toBe(true);
      });
      expect(items.names()).toEqual(["inner", "outer"]);
    });

    it("an inner failure caught by the outer fn rolls back only the inner work", () => {
      const db = t.open();
      const items = setup(db);
      db.transaction(() => {
        items.add("outer-before");
        expect(() =>
          db.transaction(() => {
            items.add("inner");
            throw new Error("inner fails");
          }),
        ).toThrow("inner fails");
        expect(db.inTransaction).toBe(true);
        items.add("outer-after");
      });
      expect(items.names()).toEqual(["outer-after", "outer-before"]);
    });

    it("an outer failure also rolls back inner work that had completed", () => {
      const db = t.open();
      const items = setup(db);
      expect(() =>
        db.transaction(() => {
          db.transaction(() => items.add("inner"));
          items.add("outer");
          throw new Error("outer fails");
        }),
      ).toThrow("outer fails");
      expect(items.names()).toEqual([]);
    });

    it("nests deeply: a failure at level 7 caught at level 6 keeps levels 1-6", () => {
      const db = t.open();
      const items = setup(db);
      const level = (depth: number): void => {
        db.transaction(() => {
          items.add(`level-${depth}`);
          if (depth === 7) throw new Error("deep failure");
          if (depth === 6) {
            expect(() => level(depth + 1)).toThrow("deep failure");
            return;
          }
          level(depth + 1);
        });
      };
      level(1);
      expect(items.names()).toEqual([1, 2, 3, 4, 5, 6].map((n) => `level-${n}`));
      expect(db.inTransaction).toBe(false);
    });

    it("sibling savepoints are independent: one fails, the next commits", () => {
      const db = t.open();
      const items = setup(db);
      db.transaction(() => {
        expect(() =>
          db.transaction(() => {
            items.add("first");
            throw new Error("no");
          }),
        ).toThrow("no");
        db.transaction(() => items.add("second"));
        expect(() =>
          db.transaction(() => {
            items.add("third");
            db.transaction(() => items.add("third-inner"));
            throw new Error("no");
          }),
        ).toThrow("no");
      });
      expect(items.names()).toEqual(["second"]);
    });

    it("a promise-returning fn is rejected with ERR_SQL_MISUSE and its work rolled back", () => {
      const db = t.open();
      const items = setup(db);
      const error = thrownBy(() =>
        db.transaction(async () => {
          items.add("inside-async");
        }),
      );
      expect(error).toBeInstanceOf(SqlError);
      expect((error as SqlError).code).toBe("ERR_SQL_MISUSE");
      expect((error as Error).message).toMatch(/promise/i);
      expect(db.inTransaction).toBe(false);
      expect(items.names()).toEqual([]);
      // The connection is usable afterwards.
      db.transaction(() => items.add("after"));
      expect(items.names()).toEqual(["after"]);
    });

    it("inTransaction is true only while a transaction is open", () => {
      const db = t.open();
      setup(db);
      expect(db.inTransaction).toBe(false);
      const seen: boolean[] = [];
      db.transaction(() => {
        seen.push(db.inTransaction);
        db.transaction(() => seen.push(db.inTransaction));
        seen.push(db.inTransaction);
      });
      expect(seen).toEqual([true, true, true]);
      expect(db.inTransaction).toBe(false);
      expect(() =>
        db.transaction(() => {
          throw new Error("x");
        }),
      ).toThrow("x");
      expect(db.inTransaction).toBe(false);
    });

    it("respects a transaction begun with exec('BEGIN'): transaction() nests inside it", () => {
      const db = t.open();
      const items = setup(db);
      db.exec("BEGIN");
      expect(db.inTransaction).toBe(true);
      db.transaction(() => items.add("in-manual"));
      expect(db.inTransaction).toBe(true);
      expect(() =>
        db.transaction(() => {
          items.add("rolled-back");
          throw new Error("inner");
        }),
      ).toThrow("inner");
      expect(db.inTransaction).toBe(true);
      expect(items.names()).toEqual(["in-manual"]);
      db.exec("ROLLBACK");
      expect(db.inTransaction).toBe(false);
      expect(items.names()).toEqual([]);
    });

    it("a COMMIT that fails (deferred foreign key) rolls back and leaves no transaction open", () => {
      const db = t.open();
      db.exec(`CREATE TABLE parent (id INTEGER PRIMARY KEY);
        CREATE TABLE child (parent_id INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED);`);
      const error = thrownBy(() => db.transaction(() => db.prepare("INSERT INTO child VALUES (7)").run()));
      expect(error).toBeInstanceOf(SqlError);
      expect((error as SqlError).code).toBe("ERR_SQL_CONSTRAINT");
      expect(db.inTransaction).toBe(false);
      expect(db.prepare("SELECT count(*) AS n FROM child").get()).toEqual({ n: 0 });
      db.transaction(() => {
        db.prepare("INSERT INTO parent VALUES (7)").run();
        db.prepare("INSERT INTO child VALUES (7)").run();
      });
      expect(db.prepare("SELECT count(*) AS n FROM child").get()).toEqual({ n: 1 });
    });

    it("many small transactions in a row all commit", () => {
      const db = t.open();
      const items = setup(db);
      for (let i = 0; i < 200; i++) db.transaction(() => items.add(`item-${String(i).padStart(3, "0")}`));
      expect(items.names()).toHaveLength(200);
    });
  });
}
