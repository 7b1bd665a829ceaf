import { createDurableObjectNamespace } from "@cellar/durable-objects";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";
import { afterEach, describe, expect, it } from "vitest";

/**
 * `sql.exec` splits and reads SQL with the lexer shared with D1. These are the inputs on which the
 * Durable Objects tokenizer it replaced disagreed with SQLite; the engine confirms SQLite's reading.
 */
describe("durable objects sql splitting follows SQLite", () => {
  const namespaces: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const ns of namespaces.splice(0)) await ns.close();
  });

  function storage() {
    const ns = createDurableObjectNamespace({ uniqueKey: "-SqlText", engine: createSqliteEngine() });
    namespaces.push(ns);
    return ns.get(ns.newUniqueId()).storage;
  }

  it("runs a trigger whose body uses END as a column name as one statement", () => {
    const { sql } = storage();
    sql.exec(`CREATE TABLE t (a, "end");
      CREATE TRIGGER t_end AFTER INSERT ON t BEGIN UPDATE t SET end = new.a * 10 WHERE rowid = new.rowid; END;
      INSERT INTO t (a) VALUES (4)`);
    expect(sql.exec(`SELECT a, "end" FROM t`).toArray()).toEqual([{ a: 4, end: 40 }]);
  });

  it("binds #name parameters by position, like :name", () => {
    const { sql } = storage();
    expect(sql.exec("SELECT #a AS a, #b AS b, #a AS c", 1, 2).one()).toEqual({ a: 1, b: 2, c: 1 });
  });

  it("leaves #1 (not a parameter of user SQL) to SQLite's syntax error", () => {
    const { sql } = storage();
    expect(() => sql.exec("SELECT #1")).toThrow('near "#1": syntax error');
  });

  it("does not take a vertical tab before a statement for whitespace", () => {
    const { sql } = storage();
    expect(() => sql.exec("\vSELECT 1")).toThrow(/^unrecognized token: "\v"/);
  });
});
