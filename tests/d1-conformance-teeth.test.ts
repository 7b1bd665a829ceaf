import { describe, expect, it } from "vitest";
import { runBrokenSuitesBeforeAll } from "./support/run-vitest-file.ts";

/**
 * The D1 conformance suite must fail on deliberately broken D1 databases
 * (tests/broken/d1-*.broken.ts, built in tests/support/d1-broken.ts), in the tests that describe
 * the breakage, and pass elsewhere. Each file runs `describeD1` in a child vitest process.
 */
interface Expectation {
  /** The broken database's suite name (the outermost describe). */
  readonly suite: string;
  readonly mustFail: readonly string[];
  readonly mustPass: readonly string[];
}

const expectations: Record<string, readonly Expectation[]> = {
  "d1-batch-not-atomic.broken.ts": [
    {
      suite: "d1 batch without a transaction",
      mustFail: [
        "batch > is one transaction: a failing statement rolls back the others and rejects with D1_ERROR",
        "batch > a constraint failure rolls back the whole batch",
        "restrictions > a transaction statement after a write in the same query is refused, and the write rolled back",
        "restrictions > defer_foreign_keys moves checks to the commit; a violation left at commit rolls back with the runtime's message",
      ],
      mustPass: ["batch > runs every statement in order and resolves with one result per statement", "batch > later statements see the writes of earlier ones"],
    },
    {
      suite: "d1 that loses data on reopen",
      mustFail: [
        "persistence > committed data survives reopening the database [persistent]",
        "persistence > a failed batch leaves nothing behind after reopening [persistent]",
      ],
      mustPass: ["persistence > a write has reached storage by the time its promise resolves [inspect]"],
    },
  ],
  "d1-no-restrictions.broken.ts": [
    {
      suite: "d1 without restrictions",
      mustFail: [
        "restrictions > transaction statements are refused with the runtime's message, however written",
        "restrictions > ATTACH and DETACH are not authorized",
        "restrictions > other PRAGMAs, or allowed ones with arguments they do not take, are not authorized",
        "restrictions > tables named _cf_* cannot be created, however the name is quoted, cased or qualified",
        "restrictions > _cf_METADATA cannot be read, and the refusal names the column [cfMetadata]",
        "restrictions > _cf_METADATA cannot be written, dropped or altered, yet it is listed in sqlite_schema [cfMetadata]",
        "restrictions > functions outside the runtime's allow-list are not authorized",
        "restrictions > TEMP tables, views and triggers are not authorized",
        "restrictions > foreign keys are enforced, and PRAGMA foreign_keys = OFF has no effect inside the request's transaction",
      ],
      mustPass: ["restrictions > the allowed PRAGMAs run", "restrictions > keywords inside strings, comments and quoted identifiers are only text"],
    },
  ],
  "d1-wrong-results.broken.ts": [
    {
      suite: "d1 with wrong result values",
      mustFail: [
        "values > BLOBs come back as arrays of numbers",
        "values > BLOBs bind from an ArrayBuffer, a Uint8Array (only the view's bytes) or an array of bytes",
        "results > meta has served_by, duration, timings, served_by_primary and total_attempts (Q5), and no served_by_region",
      ],
      mustPass: ["values > numbers, strings and null round-trip", "results > all() resolves with success, meta and the rows as objects"],
    },
    {
      suite: "d1 whose exec reports line 1",
      mustFail: [
        "exec > is one transaction: a failing line keeps nothing, and the error names that line (Q1)",
        "exec > counts lines from the start of the text, leading blank lines and blank lines between included",
        "exec > an indented comment line is skipped; one at column 0 is not a statement (Q4)",
      ],
      mustPass: ["exec > runs each line and resolves with the count of statements and their duration", "exec > a statement spanning several lines fails with incomplete input on its first line"],
    },
  ],
};

describe("the D1 conformance suite catches broken D1 databases", () => {
  const outcomeOf = runBrokenSuitesBeforeAll(Object.keys(expectations));

  for (const [file, suites] of Object.entries(expectations)) {
    for (const { suite, mustFail, mustPass } of suites) {
      it(`${file}: "${suite}" fails where it is broken and passes elsewhere`, () => {
        const outcome = outcomeOf(file);
        const ofSuite = (names: string[]): string[] => names.filter((name) => name.startsWith(`${suite} `));
        // The suite really ran: most of its tests passed, so the failures are about the breakage.
        expect(ofSuite(outcome.passed).length).toBeGreaterThan(60);
        for (const title of mustFail) expect(ofSuite(outcome.failed), `expected to fail: ${title}`).toContain(`${suite} ${title.replaceAll(" > ", " ")}`);
        for (const title of mustPass) expect(ofSuite(outcome.passed), `expected to pass: ${title}`).toContain(`${suite} ${title.replaceAll(" > ", " ")}`);
      });
    }
  }
});
