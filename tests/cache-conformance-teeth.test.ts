import { beforeAll, describe, expect, it } from "vitest";
import { runBrokenSuite, type SuiteOutcome } from "./support/run-vitest-file.ts";

/**
 * Proves describeCache has teeth: run on deliberately broken caches (tests/broken/cache-*), it
 * must fail exactly where the flaw is, while the rest of the suite still runs and passes.
 */
const brokenSuites = {
  ignoresRanges: { file: "cache-ignores-ranges.broken.ts", name: "broken: ignores ranges" },
  neverExpires: { file: "cache-never-expires.broken.ts", name: "broken: never expires" },
  sharesNamedCaches: { file: "cache-shares-named-caches.broken.ts", name: "broken: shares named caches" },
  trustsContentLength: { file: "cache-trusts-content-length.broken.ts", name: "broken: trusts Content-Length" },
} as const;
type BrokenSuite = keyof typeof brokenSuites;

const outcomes = new Map<BrokenSuite, SuiteOutcome>();

function outcomeOf(suite: BrokenSuite): SuiteOutcome {
  const outcome = outcomes.get(suite);
  if (!outcome) throw new Error(`${brokenSuites[suite].file} did not run`);
  return outcome;
}

/** Full test names of `suite` for `group > title` pairs. */
function named(suite: BrokenSuite, ...tests: string[]): string[] {
  return tests.map((test) => `${brokenSuites[suite].name} ${test}`);
}

describe("describeCache on broken caches", () => {
  beforeAll(async () => {
    // Two at a time: each child vitest takes a few seconds, and the machine has two cores.
    const entries = Object.entries(brokenSuites) as [BrokenSuite, { file: string }][];
    for (let index = 0; index < entries.length; index += 2) {
      const batch = entries.slice(index, index + 2);
      const results = await Promise.all(batch.map(([, { file }]) => runBrokenSuite(file)));
      batch.forEach(([suite], position) => outcomes.set(suite, results[position]!));
    }
  }, 120_000);

  it("runs every broken suite to the end: most tests pass, so the failures are targeted", () => {
    for (const suite of Object.keys(brokenSuites) as BrokenSuite[]) {
      const { passed, failed } = outcomeOf(suite);
      expect(failed.length, suite).toBeGreaterThan(0);
      expect(passed.length, suite).toBeGreaterThan(50);
      expect(passed, suite).toContain(`${brokenSuites[suite].name} put and match returns the stored status, headers and body, plus CF-Cache-Status: HIT`);
    }
  });

  it("fails the range tests, and only those, of a cache that ignores Range", () => {
    const { failed } = outcomeOf("ignoresRanges");
    expect(failed).toEqual(
      expect.arrayContaining(
        named(
          "ignoresRanges",
          "range match answers one range with 206, Content-Range and the range's Content-Length: 0-4, -3, 0-1000",
          "range match answers several ranges with multipart/byteranges, in order, unmerged, and no Content-Length",
          "range match answers 416 with Content-Range: bytes */16 for 100-, 5-2, items=0-1 and malformed ranges",
          "range match answers 416 bytes */0 for bytes=0- on an empty body",
        ),
      ),
    );
    expect(failed.every((name) => name.startsWith(`${brokenSuites.ignoresRanges.name} range match `))).toBe(true);
  });

  it("fails the freshness, expiry and Age tests of a cache whose clock never moves", () => {
    expect(outcomeOf("neverExpires").failed).toEqual(
      expect.arrayContaining(
        named(
          "neverExpires",
          "freshness and expiry keeps an entry for max-age, expiring exactly at its end",
          "freshness and expiry applies the default Edge TTL without explicit freshness: 200/301 120 min, 302/303 20 min, 404/410 3 min (C1)",
          "freshness and expiry ignores stale-while-revalidate and stale-if-error (C2)",
          "freshness and expiry keeps an immutable response at least 24 hours, and public alone for the default TTL",
          "put and match reports in Age how long the response has been cached, plus the Age it was stored with",
          "delete returns false for an expired entry",
          "storage purges expired entries and their blobs without their being matched (C3) [maintenance.purgeExpired, inspect.rows, inspect.blobCount]",
        ),
      ),
    );
  });

  it("fails the isolation tests of a cache that shares named caches", () => {
    expect(outcomeOf("sharesNamedCaches").failed.sort()).toEqual(
      named(
        "sharesNamedCaches",
        "delete deletes by cf.cacheKey, and only in its own cache",
        "keys and methods keeps caches.default and named caches apart; the same name opens the same entries",
        "keys and methods treats a cache named default as a named cache, apart from caches.default",
        "storage stores an entry under its cf.cacheKey, and named caches in their own database [inspect.rows]",
      ).sort(),
    );
  });

  it("fails the size tests (C5) of a cache that trusts Content-Length", () => {
    expect(outcomeOf("trustsContentLength").failed).toEqual(
      expect.arrayContaining(
        named(
          "trustsContentLength",
          "size limits stores nothing when Content-Length disagrees with the body, smaller or larger (C5)",
          "storage leaves no blob behind a put that stores nothing [inspect.blobCount]",
        ),
      ),
    );
  });

  it("reports missing capabilities as skipped tests that name them", () => {
    expect(outcomeOf("ignoresRanges").skipped).toEqual(named("ignoresRanges", "storage keeps entries across a reopen, with their expiry [persistent]"));
  });
});
