import { describe, expect, it } from "vitest";
import { useFixture, type DescribeMetadataStoreOptions } from "./fixture.js";

/** What reaches storage: data across close/reopen, flush, rollback, `remove`, file format. */
export function describeMetadataStorePersistence(options: DescribeMetadataStoreOptions): void {
  const { persistent, walFiles } = options.capabilities;
  describe(`${options.name}: persistence`, () => {
    const t = useFixture(options.create);

    it.skipIf(!persistent)("committed data survives close and reopen [persistent]", async () => {
      const location = t.location("data");
      const db = t.track(t.fixture.engine.open(location));
      db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
      db.transaction(() => {
        db.prepare("INSERT INTO t (v) VALUES (?)").run("one");
        db.prepare("INSERT INTO t (v) VALUES (?)").run("two");
      });
      await db.flush();
      db.close();
      const again = t.track(t.fixture.engine.open(location));
      expect(again.prepare("SELECT id, v FROM t ORDER BY id").all()).toEqual([
        { id: 1, v: "one" },
        { id: 2, v: "two" },
      ]);
    });

    it.skipIf(!persistent)("flushed data is what an independent reader finds in storage [persistent]", async () => {
      const location = t.location("inspected");
      const db = t.track(t.fixture.engine.open(location));
      db.exec("CREATE TABLE t (k TEXT PRIMARY KEY, v BLOB, n INTEGER)");
      db.prepare("INSERT INTO t VALUES (?, ?, ?)").run("key", new Uint8Array([0, 1, 255]), 2n ** 60n);
      await db.flush();
      db.close();
      const reader = t.inspect(location);
      const row = reader.prepare<{ k: string; v: Uint8Array; n: bigint }>("SELECT k, v, n FROM t").safeIntegers().get();
      expect(row?.k).toBe("key");
      expect(Array.from(row?.v ?? [])).toEqual([0, 1, 255]);
      expect(row?.n).toBe(2n ** 60n);
    });

    it.skipIf(!persistent)("close() without flush() still keeps committed data [persistent]", () => {
      const location = t.location("unflushed");
      const db = t.track(t.fixture.engine.open(location));
      db.exec("CREATE TABLE t (v)");
      db.prepare("INSERT INTO t VALUES ('kept')").run();
      db.close();
      expect(t.inspect(location).prepare("SELECT v FROM t").all()).toEqual([{ v: "kept" }]);
    });

    it.skipIf(!persistent)("rolled-back work never reaches storage [persistent]", async () => {
      const location = t.location("rolled-back");
      const db = t.track(t.fixture.engine.open(location));
      db.exec("CREATE TABLE t (v)");
      db.prepare("INSERT INTO t VALUES ('committed')").run();
      expect(() =>
        db.transaction(() => {
          db.prepare("INSERT INTO t VALUES ('rolled back')").run();
          throw new Error("abort");
        }),
      ).toThrow("abort");
      await db.flush();
      db.close();
      expect(t.inspect(location).prepare("SELECT v FROM t").all()).toEqual([{ v: "committed" }]);
    });

    it.skipIf(!persistent)("an open transaction is rolled back by close(), not persisted [persistent]", () => {
      const location = t.location("open-transaction");
      const db = t.track(t.fixture.engine.open(location));
      db.exec("CREATE TABLE t (v); INSERT INTO t VALUES ('committed');");
      db.exec("BEGIN; INSERT INTO t VALUES ('pending');");
      db.close();
      expect(t.inspect(location).prepare("SELECT v FROM t").all()).toEqual([{ v: "committed" }]);
    });

    it.skipIf(!persistent)("schema changes and PRAGMA user_version persist on their own [persistent]", async () => {
      const location = t.location("schema");
      const db = t.track(t.fixture.engine.open(location));
      db.exec("CREATE TABLE t (v)");
      await db.flush();
      db.exec("CREATE INDEX t_v ON t (v)");
      await db.flush();
      db.exec("PRAGMA user_version = 7");
      await db.flush();
      db.close();
      const reader = t.inspect(location);
      expect(reader.prepare("PRAGMA user_version").raw().get()).toEqual([7]);
      expect(reader.prepare("SELECT name FROM sqlite_master ORDER BY name").raw().all()).toEqual([["t"], ["t_v"]]);
    });

    it.skipIf(!persistent)("a reopened database takes more writes and keeps all of them [persistent]", async () => {
      const location = t.location("appended");
      for (let round = 0; round < 3; round++) {
        const db = t.track(t.fixture.engine.open(location));
        db.exec("CREATE TABLE IF NOT EXISTS t (round INTEGER)");
        db.prepare("INSERT INTO t VALUES (?)").run(round);
        await db.flush();
        db.close();
      }
      expect(t.inspect(location).prepare("SELECT round FROM t ORDER BY round").raw().all()).toEqual([[0], [1], [2]]);
    });

    it.skipIf(!persistent)("writes interleaved with unawaited flushes all reach storage [persistent]", async () => {
      const location = t.location("interleaved");
      const db = t.track(t.fixture.engine.open(location));
      db.exec("CREATE TABLE t (i INTEGER)");
      const insert = db.prepare("INSERT INTO t VALUES (?)");
      const flushes: Promise<void>[] = [];
      for (let i = 0; i < 50; i++) {
        db.transaction(() => insert.run(i));
        flushes.push(db.flush());
        if (i % 10 === 0) await flushes.at(-1);
      }
      await Promise.all(flushes);
      db.close();
      expect(t.inspect(location).prepare("SELECT count(*) AS n, sum(i) AS total FROM t").get()).toEqual({ n: 50, total: 1225 });
    });

    it.skipIf(!persistent)("remove() deletes the database; opening it again starts empty [persistent]", () => {
      const location = t.location("removed");
      const db = t.track(t.fixture.engine.open(location));
      db.exec("CREATE TABLE t (v); INSERT INTO t VALUES (1);");
      db.close();
      t.fixture.engine.remove(location);
      const again = t.track(t.fixture.engine.open(location));
      expect(again.prepare("SELECT count(*) AS n FROM sqlite_master").get()).toEqual({ n: 0 });
    });

    it.skipIf(!persistent)("new files use 4096-byte pages [persistent]", () => {
      const location = t.location("pages");
      const db = t.track(t.fixture.engine.open(location));
      db.exec("CREATE TABLE t (v)");
      db.close();
      expect(t.inspect(location).prepare("PRAGMA page_size").raw().get()).toEqual([4096]);
    });

    it.skipIf(!walFiles)("files are kept in WAL mode [walFiles]", () => {
      const db = t.open("wal");
      db.exec("CREATE TABLE t (v)");
      expect(db.prepare("PRAGMA journal_mode").raw().get()).toEqual(["wal"]);
    });
  });
}
