import type { D1Database, D1DatabaseSession, D1PreparedStatement, D1Result } from "@cloudflare/workers-types";
import { describe, expectTypeOf, it } from "vitest";
import type { CellarD1Database } from "../src/index.js";

// Type-level: `pnpm typecheck` fails if a cellar D1 database stops being usable as a Workers
// `D1Database` binding (`env.DB: D1Database`).
describe("types", () => {
  it("makes a cellar D1 database assignable to the Workers D1Database", () => {
    expectTypeOf<CellarD1Database>().toExtend<D1Database>();
    const bind = (database: CellarD1Database): D1Database => database;
    expectTypeOf(bind).returns.toEqualTypeOf<D1Database>();
  });

  it("makes its statements and sessions assignable to the Workers types", () => {
    const use = (database: CellarD1Database) => ({
      statement: database.prepare("SELECT 1") satisfies D1PreparedStatement,
      session: database.withSession("first-primary") satisfies D1DatabaseSession,
      all: database.prepare("SELECT 1").all<{ one: number }>(),
      first: database.prepare("SELECT 1").first<number>("one"),
      raw: database.prepare("SELECT 1").raw<[number]>({ columnNames: true }),
    });
    expectTypeOf(use).returns.toHaveProperty("all").toEqualTypeOf<Promise<D1Result<{ one: number }>>>();
    expectTypeOf(use).returns.toHaveProperty("first").toEqualTypeOf<Promise<number | null>>();
    expectTypeOf(use).returns.toHaveProperty("raw").toEqualTypeOf<Promise<[string[], ...[number][]]>>();
  });
});
