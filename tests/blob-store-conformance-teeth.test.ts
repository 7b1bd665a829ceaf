import { beforeAll, describe, expect, it } from "vitest";
import { runBrokenSuite, type SuiteOutcome } from "./support/run-vitest-file.ts";

/**
 * Proves describeBlobStore has teeth: run on a deliberately broken store (tests/broken/), it
 * must fail exactly where the flaw is, while the rest of the suite still runs and passes.
 */
const brokenSuites = {
  ignoresRanges: { file: "blob-store-ignores-ranges.broken.ts", name: "broken: ignores ranges" },
  sharesBuffers: { file: "blob-store-shares-buffers.broken.ts", name: "broken: shares buffers" },
  sweepsReferenced: { file: "blob-store-sweeps-referenced.broken.ts", name: "broken: sweeps referenced blobs" },
  keepsPartialWrites: { file: "blob-store-keeps-partial-writes.broken.ts", name: "broken: keeps partial writes" },
} as const;

const outcomes = new Map<keyof typeof brokenSuites, SuiteOutcome>();

function outcomeOf(suite: keyof typeof brokenSuites): SuiteOutcome {
  const outcome = outcomes.get(suite);
  if (!outcome) throw new Error(`${brokenSuites[suite].file} did not run`);
  return outcome;
}

describe("describeBlobStore on broken stores", () => {
  beforeAll(async () => {
    // One child vitest per broken store, all at once: each takes a second or two.
    const entries = Object.entries(brokenSuites) as [keyof typeof brokenSuites, { file: string }][];
    const results = await Promise.all(entries.map(([, { file }]) => runBrokenSuite(file)));
    entries.forEach(([suite], index) => outcomes.set(suite, results[index]!));
  }, 120_000);

  it("runs every broken suite to the end: most tests pass, so the failures are targeted", () => {
    for (const suite of Object.keys(brokenSuites) as (keyof typeof brokenSuites)[]) {
      const { passed, failed } = outcomeOf(suite);
      expect(failed.length, suite).toBeGreaterThan(0);
      expect(passed.length, suite).toBeGreaterThan(50);
      expect(passed, suite).toContain(`${brokenSuites[suite].name} put and get round-trips a Uint8Array`);
    }
  });

  it("fails the range tests of a store that ignores ranges", () => {
    const { failed } = outcomeOf("ignoresRanges");
    expect(failed).toEqual(
      expect.arrayContaining([
        "broken: ignores ranges ranges reads the first byte",
        "broken: ignores ranges ranges reads the last byte",
        "broken: ignores ranges ranges reads a range in the middle",
        "broken: ignores ranges ranges rejects ranges past the end with ERR_RANGE_NOT_SATISFIABLE and changes nothing",
        "broken: ignores ranges ranges rejects malformed ranges with ERR_INVALID_RANGE and changes nothing",
      ]),
    );
    expect(failed.every((name) => / ranges | serves independent readers /.test(name))).toBe(true);
  });

  it("fails the fresh-copy tests of a store that shares buffers", () => {
    expect(outcomeOf("sharesBuffers").failed.sort()).toEqual([
      "broken: shares buffers put and get keeps its own copy of a Uint8Array body",
      "broken: shares buffers put and get returns a fresh copy from getBytes every time",
    ]);
  });

  it("fails the sweep tests of a store that sweeps referenced blobs", () => {
    expect(outcomeOf("sweepsReferenced").failed).toEqual(
      expect.arrayContaining([
        "broken: sweeps referenced blobs sweep deletes old unreferenced blobs, keeps referenced and young ones, with exact counts [sweep]",
        "broken: sweeps referenced blobs sweep asks isReferenced about every old blob and no young one [sweep]",
        "broken: sweeps referenced blobs sweep awaits an asynchronous isReferenced [sweep]",
      ]),
    );
  });

  it("fails the failed-write tests of a store that keeps partial writes", () => {
    expect(outcomeOf("keepsPartialWrites").failed).toContain(
      "broken: keeps partial writes failed writes rejects with the stream's own error when the body errors midway, storing nothing",
    );
  });

  it("reports missing capabilities as skipped tests that name them", () => {
    const { skipped } = outcomeOf("ignoresRanges");
    expect(skipped).toEqual(
      expect.arrayContaining([
        "broken: ignores ranges persistence survives reopening [persistent]",
        "broken: ignores ranges concurrency shares one location between two open stores [persistent, multiProcess]",
      ]),
    );
  });
});
