import { describe, expect, it } from "vitest";
import { runBrokenSuitesBeforeAll } from "./support/run-vitest-file.ts";

/**
 * The facets suite must catch broken facet implementations: each
 * tests/broken/durable-objects-facets-*.broken.ts file runs the whole suite, on files, over an
 * implementation with one flaw. Exactly the named tests must fail (titles are
 * "durable objects broken: <flaw> <group> <test>"), and every other test must pass.
 */
interface Expectation {
  /** `durable objects broken: <flaw>`, the start of every title in the broken run. */
  readonly prefix: string;
  /** `<group> <test>` of each test that must fail. */
  readonly mustFail: readonly string[];
}

const expectations: Record<string, Expectation> = {
  "durable-objects-facets-delete-not-recursive.broken.ts": {
    prefix: "durable objects broken: delete keeps descendants",
    mustFail: [
      "facet lifecycle delete removes the facet's data and every descendant's; siblings and the root keep theirs",
      "facet lifecycle delete also deletes a facet that is not running",
      "facet files delete and the root's deleteAll remove facet files and keep the index [persistent]",
    ],
  },
  "durable-objects-facets-clone-shares-storage.broken.ts": {
    prefix: "durable objects broken: clone shares storage",
    mustFail: [
      "facet lifecycle clone makes an independent copy: later writes to either side stay on that side",
      "facet files clone copies committed data into dst's own file, which survives a reopen [persistent]",
    ],
  },
  "durable-objects-facets-index-not-persisted.broken.ts": {
    prefix: "durable objects broken: index not persisted",
    mustFail: [
      "facet files keeps facet data and nested facets across a reopen [persistent]",
      "facet files keeps each name's id across a reopen and never reuses one: only new names append [persistent]",
      "facet files reads an index another tool wrote: a name maps to the file its entry numbers [persistent]",
    ],
  },
};

describe("the facets conformance suite has teeth", () => {
  const outcomeOf = runBrokenSuitesBeforeAll(Object.keys(expectations));

  for (const [file, { prefix, mustFail }] of Object.entries(expectations)) {
    it(`${file} fails exactly where it is broken`, () => {
      const outcome = outcomeOf(file);
      expect([...outcome.failed].sort()).toEqual(mustFail.map((title) => `${prefix} ${title}`).sort());
      // Nothing is skipped (the broken runs are file-backed), and everything else ran and passed.
      expect(outcome.skipped).toEqual([]);
      expect(outcome.passed.length).toBeGreaterThan(20);
    });
  }
});
