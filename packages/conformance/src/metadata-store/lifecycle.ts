import { describe, expect, it } from "vitest";
import { useFixture, type DescribeMetadataStoreOptions } from "./fixture.js";

/** The engine's declaration, `open`/`close`/`flush` basics, and isolation between databases. */
export function describeMetadataStoreLifecycle(options: DescribeMetadataStoreOptions): void {
  describe(`${options.name}: lifecycle`, () => {
    const t = useFixture(options.create);

    it("declares exactly the capabilities the suite was given, and a name", () => {
      expect({ ...t.fixture.engine.capabilities }).toEqual({ ...options.capabilities });
      expect(t.fixture.engine.name).toMatch(/\S/);
    });

    it("a new database is open, empty, outside a transaction, and knows its location", () => {
      const location = t.location("fresh");
      const db = t.track(t.fixture.engine.open(location));
      expect(db.open).toBe(true);
      expect(db.location).toBe(location);
      expect(db.inTransaction).toBe(false);
      expect(db.prepare("SELECT count(*) AS n FROM sqlite_master").get()).toEqual({ n: 0 });
    });

    it("close() is idempotent and sets open to false", () => {
      const db = t.open();
      db.close();
      expect(db.open).toBe(false);
      expect(() => db.close()).not.toThrow();
      expect(db.open).toBe(false);
    });

    it("close() inside an open transaction does not throw", () => {
      const db = t.open();
      db.exec("CREATE TABLE t (a); BEGIN; INSERT INTO t VALUES (1);");
      expect(() => db.close()).not.toThrow();
      expect(db.open).toBe(false);
    });

    it("close() ends a running iterator", () => {
      const db = t.open();
      db.exec("CREATE TABLE t (a); INSERT INTO t VALUES (1), (2);");
      const iterator = db.prepare("SELECT a FROM t").iterate();
      iterator.next();
      expect(() => db.close()).not.toThrow();
      expect(db.open).toBe(false);
    });

    it("flush() resolves, with or without pending writes", async () => {
      const db = t.open();
      await expect(db.flush()).resolves.toBeUndefined();
      db.exec("CREATE TABLE t (a); INSERT INTO t VALUES (1);");
      await expect(db.flush()).resolves.toBeUndefined();
      await expect(db.flush()).resolves.toBeUndefined();
    });

    it("concurrent flush() calls interleaved with writes all resolve", async () => {
      const db = t.open();
      db.exec("CREATE TABLE t (a)");
      const insert = db.prepare("INSERT INTO t VALUES (?)");
      const flushes: Promise<void>[] = [];
      for (let i = 0; i < 20; i++) {
        db.transaction(() => insert.run(i));
        flushes.push(db.flush());
      }
      await expect(Promise.all(flushes)).resolves.toHaveLength(20);
      expect(db.prepare("SELECT count(*) AS n FROM t").get()).toEqual({ n: 20 });
    });

    it("databases at different locations are independent", () => {
      const a = t.open("a");
      const b = t.open("b");
      a.exec("CREATE TABLE only_in_a (x)");
      expect(b.prepare("SELECT count(*) AS n FROM sqlite_master").get()).toEqual({ n: 0 });
    });

    it("remove() of a database that does not exist is not an error", () => {
      expect(() => t.fixture.engine.remove(t.location("never-created"))).not.toThrow();
    });
  });
}
