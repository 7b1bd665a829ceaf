import { describe, expect, it } from "vitest";
import { runBrokenSuitesBeforeAll } from "./support/run-vitest-file.ts";

/**
 * The Durable Object storage suite must catch broken storages: each
 * tests/broken/durable-objects-*.broken.ts file wraps the real storage, breaks one thing, and runs
 * only the suite group that covers it in a child vitest. The named tests must fail, and tests the
 * breakage does not touch must still pass. Titles are full names: "durable objects <name> <group> <test>".
 */
interface Expectation {
  /** The outermost describe of the broken run: `durable objects <name> <group>`. */
  readonly group: string;
  readonly mustFail: readonly string[];
  readonly mustPass: readonly string[];
}

const expectations: Record<string, Expectation> = {
  "durable-objects-utf16-order.broken.ts": {
    group: "durable objects broken: lists in UTF-16 order kv",
    mustFail: ["lists keys in UTF-8 byte order, whatever order they were written in"],
    mustPass: [
      "applies start, startAfter, end, prefix and limit",
      "coerces keys to strings and returns a Map in UTF-8 order without missing keys",
      "rejects bad input with the runtime's errors and leaves storage unchanged",
    ],
  },
  "durable-objects-no-rollback.broken.ts": {
    group: "durable objects broken: commits on throw transactions",
    mustFail: ["rolls an explicit transaction back on throw and on txn.rollback()", "rolls transactionSync back on throw and nests"],
    mustPass: [
      "commits a transaction's writes, and a rolled-back nested transaction undoes only its own",
      "refuses a txn used after rollback or after its closure returned",
      "makes other callers wait while a transaction runs",
      "refuses deleteAll inside a transaction",
    ],
  },
  "durable-objects-put-not-atomic.broken.ts": {
    group: "durable objects broken: puts entries one by one kv",
    mustFail: ["rejects bad input with the runtime's errors and leaves storage unchanged"],
    mustPass: [
      "round-trips structured-cloneable values, Date, Map, BigInt and typed arrays included",
      "skips entries whose value is undefined in put(entries)",
      "lists keys in UTF-8 byte order, whatever order they were written in",
    ],
  },
  "durable-objects-alarm-not-rolled-back.broken.ts": {
    group: "durable objects broken: alarm outside its transaction alarms",
    mustFail: ["rolls an alarm back with its transaction, and commits it with one"],
    mustPass: [
      "validates setAlarm with the runtime's messages and round-trips Date and ms times",
      "fires a due alarm once, not before, and clears it after the handler succeeds",
      "keeps an alarm the handler sets, and fires it at its new time",
      "retries a throwing handler with 2 s·2^n backoff plus up to 25 % jitter, at most 6 times",
      "lets an alarm set during a failing run win over the retry",
    ],
  },
};

describe("the Durable Object storage conformance suite has teeth", () => {
  const outcomeOf = runBrokenSuitesBeforeAll(Object.keys(expectations));

  for (const [file, { group, mustFail, mustPass }] of Object.entries(expectations)) {
    it(`${file} fails where it is broken and passes elsewhere`, () => {
      const outcome = outcomeOf(file);
      const full = (titles: readonly string[]): string[] => titles.map((title) => `${group} ${title}`);
      expect(outcome.failed).toEqual(expect.arrayContaining(full(mustFail)));
      expect(outcome.passed).toEqual(expect.arrayContaining(full(mustPass)));
      // Only the breakage fails: the wrapper passes everything else through untouched.
      expect(outcome.failed).toHaveLength(mustFail.length);
      expect(outcome.passed.length).toBeGreaterThan(5);
    });
  }
});
