import { beforeAll, describe, expect, it } from "vitest";
import { runBrokenSuite, type SuiteOutcome } from "./support/run-vitest-file.ts";

/**
 * Proves describeR2 has teeth: run on deliberately broken buckets (tests/broken/r2-*.broken.ts),
 * it must fail exactly where the flaw is, while the rest of the suite still runs and passes.
 */
const brokenSuites = {
  ignoresConditionals: {
    file: "r2-ignores-conditionals.broken.ts",
    name: "broken: ignores conditionals",
    mustFail: [
      "conditionals etagMatches: the body when the etag (or *) matches, the object without body otherwise",
      "conditionals uploadedAfter and uploadedBefore: strict comparisons, so equal times fail",
      "conditionals reads If-Match and If-None-Match headers: quoted, weak and listed etags, strong and weak comparison",
      "conditionals put with a failing precondition resolves with null and stores nothing",
      "conditionals put on a missing key: etagMatches and uploadedAfter fail, etagDoesNotMatch * creates only once",
    ],
    failingGroups: /^(conditionals|ranges checks the precondition|storage leaves no blob behind)/,
  },
  ignoresRanges: {
    file: "r2-ignores-ranges.broken.ts",
    name: "broken: ignores ranges",
    mustFail: [
      "ranges serves offset, length and suffix ranges, clamping to the end of the object",
      "ranges rejects unsatisfiable ranges with 10039: past the end, at the end, zero length, zero suffix",
      "ranges honours a single satisfiable Range header, clamping its end",
      "multipart reads exact ranges across part boundaries",
      "storage reads only the parts a range overlaps [blobReads]",
    ],
    failingGroups: /^(ranges|multipart reads exact ranges|storage reads only the parts)/,
  },
  copiesMultipart: {
    file: "r2-copies-multipart.broken.ts",
    name: "broken: copies multipart",
    mustFail: [
      "multipart completes into one object: total size, etag of the part MD5s, metadata of the upload, no checksums",
      "storage completes an upload by pointing the object row at its parts [rows]",
      "storage completes an upload without copying a byte: one blob per part, unused parts deleted [blobCount]",
      "storage reads only the parts a range overlaps [blobReads]",
    ],
    failingGroups: /^(multipart|storage)/,
  },
  leaksBlobs: {
    file: "r2-leaks-blobs.broken.ts",
    name: "broken: leaks blobs",
    mustFail: [
      "storage keeps one blob per object: overwrites keep the count, deletes lower it [blobCount]",
      "storage leaves no blob behind for a put that fails: stream error, checksum, precondition [blobCount]",
      "storage deletes the parts of a replaced, deleted or aborted multipart object [blobCount]",
      "storage expires uploads older than 7 days, deleting their parts [expireUploads, blobCount]",
    ],
    failingGroups: /^storage .*\[.*blobCount\]$/,
  },
} as const;

type SuiteName = keyof typeof brokenSuites;
const outcomes = new Map<SuiteName, SuiteOutcome>();

function outcomeOf(suite: SuiteName): SuiteOutcome {
  const outcome = outcomes.get(suite);
  if (!outcome) throw new Error(`${brokenSuites[suite].file} did not run`);
  return outcome;
}

describe("describeR2 on broken buckets", () => {
  beforeAll(async () => {
    // Two child vitest runs at a time: the machine has two cores, shared with other suites.
    const entries = Object.entries(brokenSuites) as [SuiteName, (typeof brokenSuites)[SuiteName]][];
    for (let index = 0; index < entries.length; index += 2) {
      const batch = entries.slice(index, index + 2);
      const results = await Promise.all(batch.map(([, { file }]) => runBrokenSuite(file)));
      batch.forEach(([suite], offset) => outcomes.set(suite, results[offset]!));
    }
  }, 120_000);

  for (const [suite, { name, mustFail, failingGroups }] of Object.entries(brokenSuites) as [SuiteName, (typeof brokenSuites)[SuiteName]][]) {
    it(`fails the tests that describe the flaw of a bucket that ${name.replace("broken: ", "")}, and only those`, () => {
      const { passed, failed } = outcomeOf(suite);
      const local = (fullName: string) => fullName.slice(name.length + 1);
      expect(failed.map(local)).toEqual(expect.arrayContaining([...mustFail]));
      for (const test of failed.map(local)) expect(test, `${suite}: an unrelated failure`).toMatch(failingGroups);
      expect(passed.length, suite).toBeGreaterThan(75);
      expect(passed, suite).toContain(`${name} objects put resolves with every R2Object field`);
    });
  }

  it("reports missing capabilities as skipped tests that name them", () => {
    expect(outcomeOf("leaksBlobs").skipped).toEqual(["broken: leaks blobs storage keeps objects, metadata and uploads in progress across a reopen [persistent]"]);
  });
});
