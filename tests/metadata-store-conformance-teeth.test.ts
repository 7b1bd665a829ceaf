import { describe, expect, it } from "vitest";
import { runBrokenSuitesBeforeAll } from "./support/run-vitest-file.ts";

/**
 * The metadata-store conformance suite must fail on deliberately broken engines
 * (tests/broken/metadata-store-*.broken.ts), and fail in the tests that describe the breakage.
 * Each broken file runs the whole `describeMetadataStore` in a child vitest process.
 */
const expectations: Record<string, { mustFail: string[]; mustPass: string[] }> = {
  "metadata-store-no-rollback.broken.ts": {
    mustFail: [
      "transactions rolls back when fn throws and rethrows the same error; the data is unchanged",
      "transactions an inner failure caught by the outer fn rolls back only the inner work",
      "transactions a promise-returning fn is rejected with ERR_SQL_MISUSE and its work rolled back",
      "transactions inTransaction is true only while a transaction is open",
      "migrations a failing migration rolls back entirely and leaves the version unchanged",
      "persistence rolled-back work never reaches storage [persistent]",
    ],
    mustPass: ["transactions commits when fn returns, and returns fn's value", "statements run() reports changes and lastInsertRowid"],
  },
  "metadata-store-flat-savepoints.broken.ts": {
    mustFail: [
      "transactions an inner failure caught by the outer fn rolls back only the inner work",
      "transactions nests deeply: a failure at level 7 caught at level 6 keeps levels 1-6",
      "transactions sibling savepoints are independent: one fails, the next commits",
    ],
    mustPass: [
      "transactions rolls back when fn throws and rethrows the same error; the data is unchanged",
      "transactions an outer failure also rolls back inner work that had completed",
    ],
  },
  "metadata-store-bad-statements.broken.ts": {
    mustFail: [
      "statements run() reports 0 changes for statements that change no rows",
      "value types integers beyond 2^53 round-trip exactly as bigint with safeIntegers()",
      "value types safeIntegers() makes lastInsertRowid a bigint",
    ],
    mustPass: ["statements run() reports changes and lastInsertRowid"],
  },
  "metadata-store-unmapped-errors.broken.ts": {
    mustFail: [
      "errors a syntax error is ERR_SQL with sqliteCode SQLITE_ERROR and SQLite's message",
      "errors a UNIQUE violation is a ConstraintError with SQLITE_CONSTRAINT_UNIQUE and SQLite's message",
      "errors wrong parameter counts are ERR_SQL_RANGE",
      "errors prepare() with more than one statement is ERR_SQL_MISUSE",
      "several connections a write blocked by another connection's transaction fails with BusyError naming the file [multiProcess]",
    ],
    mustPass: ["errors every call after close() throws DatabaseClosedError (ERR_SQL_CLOSED), and flush() rejects with it"],
  },
  "metadata-store-lossy-persistence.broken.ts": {
    mustFail: [
      "persistence committed data survives close and reopen [persistent]",
      "persistence flushed data is what an independent reader finds in storage [persistent]",
      "persistence close() without flush() still keeps committed data [persistent]",
      "persistence schema changes and PRAGMA user_version persist on their own [persistent]",
      "migrations the recorded version persists across reopen [persistent]",
    ],
    mustPass: ["transactions commits when fn returns, and returns fn's value", "lifecycle flush() resolves, with or without pending writes"],
  },
};

function matching(names: string[], title: string): string[] {
  return names.filter((name) => name.endsWith(title));
}

describe("the metadata-store conformance suite catches broken engines", () => {
  const outcomeOf = runBrokenSuitesBeforeAll(Object.keys(expectations));

  for (const [file, { mustFail, mustPass }] of Object.entries(expectations)) {
    it(`${file} fails where it is broken and passes elsewhere`, () => {
      const outcome = outcomeOf(file);
      // The suite really ran: most tests passed, so the failures are about the breakage.
      expect(outcome.passed.length).toBeGreaterThan(60);
      for (const title of mustFail) {
        expect(matching(outcome.failed, title), `expected to fail: ${title}`).toHaveLength(1);
      }
      for (const title of mustPass) {
        expect(matching(outcome.passed, title), `expected to pass: ${title}`).toHaveLength(1);
      }
    });
  }
});
