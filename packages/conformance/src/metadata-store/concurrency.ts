import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BusyError, type SqlDatabase, type SqlError } from "@cellar/metadata-store";
import { thrownBy, useFixture, type DescribeMetadataStoreOptions, type MetadataStoreFixture } from "./fixture.js";

/** Short enough to keep the suite fast, long enough to tell "waited" from "failed at once". */
const BUSY_TIMEOUT_MS = 150;

/** Several connections on one file (`[multiProcess]`), and concurrent async use of one connection. */
export function describeMetadataStoreConcurrency(options: DescribeMetadataStoreOptions): void {
  const { multiProcess } = options.capabilities;
  describe(`${options.name}: concurrency`, () => {
    const t = useFixture(options.create);

    it("concurrent async writers on one connection keep every row", async () => {
      const db = t.open();
      db.exec("CREATE TABLE t (writer INTEGER, n INTEGER)");
      const insert = db.prepare("INSERT INTO t VALUES (?, ?)");
      const writer = async (id: number): Promise<void> => {
        for (let n = 0; n < 25; n++) {
          db.transaction(() => insert.run(id, n));
          await db.flush();
        }
      };
      await Promise.all([0, 1, 2, 3].map(writer));
      expect(db.prepare("SELECT count(*) AS n, count(DISTINCT writer) AS writers FROM t").get()).toEqual({ n: 100, writers: 4 });
    });
  });

  describe(`${options.name}: several connections`, () => {
    let fixture: MetadataStoreFixture | undefined;
    const opened: SqlDatabase[] = [];
    beforeEach(async () => {
      if (!multiProcess) return;
      if (options.createWithBusyTimeout === undefined) {
        throw new Error("capabilities.multiProcess needs options.createWithBusyTimeout(ms) for the concurrency tests");
      }
      fixture = await options.createWithBusyTimeout(BUSY_TIMEOUT_MS);
    });
    afterEach(async () => {
      for (const db of opened.splice(0)) db.close();
      await fixture?.cleanup();
      fixture = undefined;
    });
    const pair = (): { location: string; first: SqlDatabase; second: SqlDatabase } => {
      if (fixture === undefined) throw new Error("no fixture");
      const location = fixture.location("shared");
      const first = fixture.engine.open(location);
      opened.push(first);
      first.exec("CREATE TABLE t (v TEXT)");
      const second = fixture.engine.open(location);
      opened.push(second);
      return { location, first, second };
    };

    it.skipIf(!multiProcess)("a write blocked by another connection's transaction fails with BusyError naming the file [multiProcess]", () => {
      const { location, first, second } = pair();
      first.exec("BEGIN IMMEDIATE");
      first.prepare("INSERT INTO t VALUES ('first')").run();
      const started = Date.now();
      const error = thrownBy(() => second.prepare("INSERT INTO t VALUES ('second')").run());
      const waited = Date.now() - started;
      expect(error).toBeInstanceOf(BusyError);
      expect((error as SqlError).code).toBe("ERR_SQL_BUSY");
      expect((error as BusyError).location).toBe(location);
      expect((error as Error).message).toContain(location);
      expect(waited).toBeGreaterThanOrEqual(BUSY_TIMEOUT_MS * 0.8);
      first.exec("COMMIT");
      second.prepare("INSERT INTO t VALUES ('second')").run();
      expect(first.prepare("SELECT v FROM t ORDER BY v").raw().all()).toEqual([["first"], ["second"]]);
    });

    it.skipIf(!multiProcess)("transaction() blocked by another connection fails with BusyError and leaves nothing open [multiProcess]", () => {
      const { first, second } = pair();
      first.exec("BEGIN IMMEDIATE");
      let ran = false;
      const error = thrownBy(() =>
        second.transaction(() => {
          ran = true;
        }),
      );
      expect((error as SqlError).code).toBe("ERR_SQL_BUSY");
      expect(ran).toBe(false);
      expect(second.inTransaction).toBe(false);
      first.exec("ROLLBACK");
      second.transaction(() => second.prepare("INSERT INTO t VALUES ('now')").run());
      expect(first.prepare("SELECT count(*) AS n FROM t").get()).toEqual({ n: 1 });
    });

    it.skipIf(!multiProcess)("another connection reads committed data, never uncommitted data [multiProcess]", () => {
      const { first, second } = pair();
      const count = second.prepare("SELECT count(*) AS n FROM t");
      first.exec("BEGIN IMMEDIATE; INSERT INTO t VALUES ('pending');");
      expect(count.get()).toEqual({ n: 0 });
      first.exec("COMMIT");
      expect(count.get()).toEqual({ n: 1 });
      first.transaction(() => first.prepare("INSERT INTO t VALUES ('more')").run());
      expect(count.get()).toEqual({ n: 2 });
    });

    it.skipIf(!multiProcess)("a reader does not block a writer on another connection [multiProcess]", () => {
      const { first, second } = pair();
      first.exec("INSERT INTO t VALUES ('a'), ('b')");
      const rows = second.prepare("SELECT v FROM t").iterate();
      rows.next();
      first.prepare("INSERT INTO t VALUES ('c')").run();
      rows.return?.();
      expect(second.prepare("SELECT count(*) AS n FROM t").get()).toEqual({ n: 3 });
    });
  });
}
