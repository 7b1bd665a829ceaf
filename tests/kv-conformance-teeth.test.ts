import { describe, expect, it } from "vitest";
import { runBrokenSuite } from "./support/run-vitest-file.ts";

// The KV suite must catch broken namespaces: each tests/broken/kv-*.broken.ts file runs the
// suite against a deliberately broken one, in a child vitest, and the named tests must fail
// while the tests the breakage does not touch still pass.
describe("the KV conformance suite has teeth", () => {
  it("fails a namespace that ignores expiry", async () => {
    const outcome = await runBrokenSuite("kv-ignores-expiry.broken.ts");
    const prefix = "kv broken: ignores expiry expiry ";
    expect(outcome.failed).toEqual(
      expect.arrayContaining([
        `${prefix}hides an entry with expirationTtl from the moment it expires, on every read path`,
        `${prefix}hides an entry with an absolute expiration at exactly that second, in list too (K2)`,
        `${prefix}skips expired entries inside a page without shortening it`,
        `${prefix}lets a key be written again after it expired`,
        `${prefix}deletes an expired entry's row and blob when it is read [inspect.blobCount]`,
      ]),
    );
    expect(outcome.failed.every((name) => name.startsWith(prefix))).toBe(true);
    expect(outcome.passed.filter((name) => name.startsWith("kv broken: ignores expiry get ")).length).toBeGreaterThan(10);
  });

  it("fails a namespace that lists in UTF-16 order", async () => {
    const outcome = await runBrokenSuite("kv-utf16-order.broken.ts");
    const prefix = "kv broken: lists in UTF-16 order list ";
    expect(outcome.failed).toEqual(
      expect.arrayContaining([
        `${prefix}lists keys in UTF-8 byte order, whatever order they were written in`,
        `${prefix}pages with cursors that are base64 of the last key: YQ==, Yg==, 772h`,
      ]),
    );
    expect(outcome.passed).toEqual(expect.arrayContaining([`${prefix}matches a prefix containing NUL (K8)`, `${prefix}combines a prefix with a cursor`]));
  });

  it("fails a namespace with Miniflare's K3, K5 and K9 behaviour", async () => {
    const outcome = await runBrokenSuite("kv-miniflare-quirks.broken.ts");
    const prefix = "kv broken: Miniflare quirks ";
    expect(outcome.failed).toEqual(
      expect.arrayContaining([
        `${prefix}concurrency lets the last of 50 parallel puts to one key win, streams resolving out of order included (K3)`,
        `${prefix}bulk get maps every present key to { value, metadata }, falsy values included (K9)`,
        `${prefix}storage fails loudly when a live entry's blob is missing, and keeps the entry (K5) [inspect.removeBlob]`,
      ]),
    );
    expect(outcome.passed).toEqual(expect.arrayContaining([`${prefix}bulk get takes 1 to 100 keys`, `${prefix}concurrency stores parallel puts to different keys`]));
  });
});
