import { describe, expect, it } from "vitest";
import type { DescribeR2Options } from "./r2-fixture.js";
import { bodyText, expectBodyless, expectThrown } from "./r2-expect.js";
import { R2_TEST_START, useR2TestContext } from "./r2-test-context.js";

/** The object's upload time in these tests: 12:00:00.500 on the test day. */
const UPLOADED = R2_TEST_START + 12 * 3600_000 + 500;

/**
 * Conditional reads and writes (`onlyIf`): etag matching with R2's strong/weak rules, dates with
 * millisecond or second granularity, the object and `Headers` forms, and missing objects.
 */
export function describeR2Conditionals(options: DescribeR2Options): void {
  describe(options.name, () => {
    describe("conditionals", () => {
      const t = useR2TestContext(options);

      async function putAt(time: number): Promise<string> {
        t.clock.set(time);
        const { etag } = await t.bucket.put("key", "value");
        t.clock.set(time + 60_000);
        return etag;
      }

      async function expectBody(onlyIf: unknown, label: string): Promise<void> {
        const object = await t.bucket.get("key", { onlyIf });
        expect(object?.body, `${label}: expected the body`).toBeDefined();
        expect(await object.text(), label).toBe("value");
      }

      async function expectNoBody(onlyIf: unknown, label: string): Promise<void> {
        const object = await t.bucket.get("key", { onlyIf });
        expectBodyless(object, label);
        expect(object.key, label).toBe("key");
        expect(object.range, label).toEqual({ offset: 0, length: 5 });
      }

      it("etagMatches: the body when the etag (or *) matches, the object without body otherwise", async () => {
        const etag = await putAt(UPLOADED);
        await expectBody({ etagMatches: etag }, "matching etag");
        await expectBody({ etagMatches: "*" }, "wildcard");
        await expectNoBody({ etagMatches: "0".repeat(32) }, "other etag");
      });

      it("etagDoesNotMatch: the body for another etag, no body for the etag or *", async () => {
        const etag = await putAt(UPLOADED);
        await expectBody({ etagDoesNotMatch: "0".repeat(32) }, "other etag");
        await expectNoBody({ etagDoesNotMatch: etag }, "matching etag");
        await expectNoBody({ etagDoesNotMatch: "*" }, "wildcard");
      });

      it("rejects a quoted etag in the object form with the runtime's TypeError", async () => {
        await putAt(UPLOADED);
        await expectThrown(
          () => t.bucket.get("key", { onlyIf: { etagMatches: '"abc"' } }),
          TypeError,
          'Conditional ETag should not be wrapped in quotes ("abc").',
        );
        await expectThrown(
          () => t.bucket.put("key", "x", { onlyIf: { etagDoesNotMatch: '"abc"' } }),
          TypeError,
          'Conditional ETag should not be wrapped in quotes ("abc").',
        );
        expect(await bodyText(await t.bucket.get("key"))).toBe("value");
      });

      it("uploadedAfter and uploadedBefore: strict comparisons, so equal times fail", async () => {
        await putAt(UPLOADED);
        await expectBody({ uploadedAfter: new Date(UPLOADED - 1) }, "after a time before the upload");
        await expectNoBody({ uploadedAfter: new Date(UPLOADED) }, "after the upload time itself");
        await expectNoBody({ uploadedAfter: new Date(UPLOADED + 3600_000) }, "after a future time");
        await expectBody({ uploadedBefore: new Date(UPLOADED + 1) }, "before a later time");
        await expectNoBody({ uploadedBefore: new Date(UPLOADED) }, "before the upload time itself");
      });

      it("a passing etag overrides a failing date on the other side", async () => {
        const etag = await putAt(UPLOADED);
        await expectBody({ etagMatches: etag, uploadedBefore: new Date(UPLOADED - 3600_000) }, "etagMatches with a past uploadedBefore");
        await expectBody({ etagDoesNotMatch: "0".repeat(32), uploadedAfter: new Date(UPLOADED + 3600_000) }, "etagDoesNotMatch with a future uploadedAfter");
        await expectNoBody({ etagMatches: etag, uploadedAfter: new Date(UPLOADED + 3600_000) }, "etagMatches does not excuse uploadedAfter");
      });

      it("secondsGranularity truncates both sides to seconds first", async () => {
        await putAt(UPLOADED);
        const sameSecond = new Date(UPLOADED - 400);
        await expectBody({ uploadedAfter: sameSecond }, "milliseconds");
        await expectNoBody({ uploadedAfter: sameSecond, secondsGranularity: true }, "seconds: equal after truncation");
        await expectNoBody({ uploadedBefore: new Date(UPLOADED + 100), secondsGranularity: true }, "seconds: equal after truncation");
      });

      it("reads If-Match and If-None-Match headers: quoted, weak and listed etags, strong and weak comparison", async () => {
        const etag = await putAt(UPLOADED);
        await expectBody(new Headers({ "If-Match": `"${etag}"` }), "If-Match quoted");
        await expectBody(new Headers({ "If-Match": `"other", "${etag}"` }), "If-Match list");
        await expectBody(new Headers({ "If-Match": "*" }), "If-Match *");
        await expectNoBody(new Headers({ "If-Match": `W/"${etag}"` }), "If-Match weak: compared strongly");
        await expectNoBody(new Headers({ "If-None-Match": `W/"${etag}"` }), "If-None-Match weak: compared weakly");
        await expectNoBody(new Headers({ "If-None-Match": `"x", , "${etag}"` }), "If-None-Match list with an empty element");
        await expectBody(new Headers({ "If-None-Match": '"other"' }), "If-None-Match other");
      });

      it("rejects unquoted etags in headers with the runtime's errors", async () => {
        await putAt(UPLOADED);
        await expectThrown(() => t.bucket.get("key", { onlyIf: new Headers({ "If-Match": "abc" }) }), Error, "Invalid ETag in if-match header");
        await expectThrown(() => t.bucket.get("key", { onlyIf: new Headers({ "If-None-Match": "abc" }) }), Error, "Invalid ETag in if-none-match header");
        await expectThrown(() => t.bucket.get("key", { onlyIf: new Headers({ "If-Match": '"abc' }) }), Error, "Unclosed double quote for Etag");
      });

      it("reads If-Modified-Since and If-Unmodified-Since headers with second granularity", async () => {
        await putAt(UPLOADED);
        const sameSecond = new Date(UPLOADED).toUTCString();
        const secondBefore = new Date(UPLOADED - 1000).toUTCString();
        await expectBody(new Headers({ "If-Modified-Since": secondBefore }), "modified since a second before");
        await expectNoBody(new Headers({ "If-Modified-Since": sameSecond }), "not modified since its own second");
        await expectNoBody(new Headers({ "If-Unmodified-Since": sameSecond }), "unmodified since its own second fails");
        await expectBody(new Headers({ "If-Unmodified-Since": new Date(UPLOADED + 1000).toUTCString() }), "unmodified since a second after");
      });

      it("answers a missing key with null, whatever the precondition", async () => {
        for (const onlyIf of [{ etagMatches: "x" }, { etagDoesNotMatch: "x" }, { uploadedAfter: new Date(0) }, new Headers({ "If-Match": '"x"' })]) {
          expect(await t.bucket.get("missing", { onlyIf })).toBeNull();
        }
      });

      it("put with a failing precondition resolves with null and stores nothing", async () => {
        const etag = await putAt(UPLOADED);
        expect(await t.bucket.put("key", "new", { onlyIf: { etagMatches: "0".repeat(32) } })).toBeNull();
        expect(await t.bucket.put("key", "new", { onlyIf: { uploadedAfter: new Date(UPLOADED + 1) } })).toBeNull();
        expect(await t.bucket.put("key", "new", { onlyIf: new Headers({ "If-None-Match": `"${etag}"` }) })).toBeNull();
        expect(await bodyText(await t.bucket.get("key"))).toBe("value");
        const replaced = await t.bucket.put("key", "new", { onlyIf: { etagMatches: etag } });
        expect(replaced.etag).not.toBe(etag);
        expect(await bodyText(await t.bucket.get("key"))).toBe("new");
      });

      it("put on a missing key: etagMatches and uploadedAfter fail, etagDoesNotMatch * creates only once", async () => {
        expect(await t.bucket.put("new", "v", { onlyIf: { etagMatches: "x" } })).toBeNull();
        expect(await t.bucket.put("new", "v", { onlyIf: { uploadedAfter: new Date(0) } })).toBeNull();
        expect(await t.bucket.head("new")).toBeNull();
        const created = await t.bucket.put("new", "first", { onlyIf: { etagDoesNotMatch: "*" } });
        expect(created?.key).toBe("new");
        expect(await t.bucket.put("new", "second", { onlyIf: { etagDoesNotMatch: "*" } })).toBeNull();
        expect(await t.bucket.put("other", "v", { onlyIf: { uploadedBefore: new Date(0) } })).not.toBeNull();
        expect(await bodyText(await t.bucket.get("new"))).toBe("first");
      });
    });
  });
}
