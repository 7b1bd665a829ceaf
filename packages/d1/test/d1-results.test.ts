import { describe, expect, it } from "vitest";
import { firstRowObject, rowObjects, toD1Result } from "../src/d1-results.js";
import { rowShape, type QueryResult } from "../src/query-result.js";
import type { D1ResultValue } from "../src/d1-values.js";

function result(columns: string[], rows: D1ResultValue[][], withShape: boolean): QueryResult {
  return {
    columns,
    rows,
    shape: withShape ? rowShape(columns) : undefined,
    duration: 0.25,
    changes: 0,
    changed: false,
    after: { totalChanges: 3, lastRowId: 7, size: 8192 },
    attempts: 1,
  };
}

describe("row objects", () => {
  for (const withShape of [true, false]) {
    describe(withShape ? "built from a row shape" : "built key by key", () => {
      it("keep the column order, and the last value of a duplicate column in its first place", () => {
        const rows = rowObjects(result(["b", "a", "b", "1"], [[1, 2, 3, 4], [5, 6, 7, 8]], withShape));
        expect(rows).toEqual([{ b: 3, a: 2, 1: 4 }, { b: 7, a: 6, 1: 8 }]);
        expect(Object.keys(rows[0]!)).toEqual(["1", "b", "a"]);
      });

      it("are independent objects, shared with nothing", () => {
        const query = result(["id", "name"], [[1, "a"], [2, "b"]], withShape);
        const [first, second] = rowObjects(query);
        first!["name"] = "changed";
        expect(second).toEqual({ id: 2, name: "b" });
        expect(rowObjects(query)[0]).toEqual({ id: 1, name: "a" });
        expect(query.shape === undefined || Object.values(query.shape).every((value) => value === null)).toBe(true);
      });

      it("firstRowObject builds the first row only, as rowObjects does", () => {
        const query = result(["id", "toString"], [[1, "x"], [2, "y"]], withShape);
        expect(firstRowObject(query)).toEqual(rowObjects(query)[0]);
        expect(firstRowObject(result(["id"], [], withShape))).toBeUndefined();
      });
    });
  }

  it("a column named __proto__ becomes an own property, not the prototype (no shape is kept for it)", () => {
    expect(rowShape(["id", "__proto__"])).toBeUndefined();
    const row = firstRowObject(result(["id", "__proto__"], [[1, "p"]], true))!;
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    expect(Object.keys(row)).toEqual(["id", "__proto__"]);
    expect(Object.getOwnPropertyDescriptor(row, "__proto__")?.value).toBe("p");
  });
});

describe("toD1Result", () => {
  it("builds meta from the query's counters", () => {
    expect(toD1Result(result(["id"], [[1], [2]], true))).toEqual({
      success: true,
      meta: {
        served_by: "miniflare.db",
        duration: 0.25,
        changes: 0,
        last_row_id: 7,
        changed_db: false,
        size_after: 8192,
        rows_read: 2,
        rows_written: 0,
        served_by_primary: true,
        timings: { sql_duration_ms: 0.25 },
        total_attempts: 1,
      },
      results: [{ id: 1 }, { id: 2 }],
    });
  });
});
