import { describe, expect, it } from "vitest";
import type { DescribeR2Options } from "./r2-fixture.js";
import { bodyText, expectBodyless, expectR2Error, expectThrown } from "./r2-expect.js";
import { useR2TestContext } from "./r2-test-context.js";

const TEXT = "hello world";
const NOT_SATISFIABLE = "get: The requested range is not satisfiable (10039)";

/** Ranged reads: the range object (resolved by the service) and the `Range` header (never an error). */
export function describeR2Ranges(options: DescribeR2Options): void {
  describe(options.name, () => {
    describe("ranges", () => {
      const t = useR2TestContext(options);

      async function expectRange(range: unknown, text: string, served: { offset: number; length: number }): Promise<void> {
        const object = await t.bucket.get("text", { range });
        expect(object.range, JSON.stringify(range)).toEqual(served);
        expect(await object.text(), JSON.stringify(range)).toBe(text);
        expect(object.size).toBe(TEXT.length);
      }

      it("serves offset, length and suffix ranges, clamping to the end of the object", async () => {
        await t.bucket.put("text", TEXT);
        await expectRange({ offset: 0, length: 5 }, "hello", { offset: 0, length: 5 });
        await expectRange({ offset: 6 }, "world", { offset: 6, length: 5 });
        await expectRange({ length: 3 }, "hel", { offset: 0, length: 3 });
        await expectRange({ offset: 8, length: 100 }, "rld", { offset: 8, length: 3 });
        await expectRange({ suffix: 3 }, "rld", { offset: 8, length: 3 });
        await expectRange({ suffix: 100 }, TEXT, { offset: 0, length: 11 });
        await expectRange({ offset: 10, length: 1 }, "d", { offset: 10, length: 1 });
      });

      it("rejects unsatisfiable ranges with 10039: past the end, at the end, zero length, zero suffix", async () => {
        await t.bucket.put("text", TEXT);
        for (const range of [{ offset: 100 }, { offset: 11 }, { offset: 0, length: 0 }, { suffix: 0 }]) {
          await expectR2Error(() => t.bucket.get("text", { range }), NOT_SATISFIABLE);
        }
      });

      it("rejects every range of an empty object with 10039, and serves it whole without one", async () => {
        await t.bucket.put("empty", "");
        for (const range of [{ offset: 0 }, { length: 1 }, { suffix: 1 }]) {
          await expectR2Error(() => t.bucket.get("empty", { range }), NOT_SATISFIABLE);
        }
        const whole = await t.bucket.get("empty");
        expect(whole.range).toEqual({ offset: 0, length: 0 });
        expect(await whole.text()).toBe("");
      });

      it("rejects negative and fractional numbers, and suffix with offset or length, with the runtime's errors", async () => {
        await t.bucket.put("text", TEXT);
        const get = (range: unknown) => () => t.bucket.get("text", { range });
        await expectThrown(get({ offset: -1 }), RangeError, "Invalid range. Starting offset (-1) must be greater than or equal to 0.");
        await expectThrown(get({ offset: 1.5 }), RangeError, "Invalid range. Starting offset (1.5) must be an integer, not floating point.");
        await expectThrown(get({ length: -1 }), RangeError, "Invalid range. Length (-1) must be greater than or equal to 0.");
        await expectThrown(get({ length: 2.5 }), RangeError, "Invalid range. Length (2.5) must be an integer, not floating point.");
        await expectThrown(get({ offset: 1, suffix: 2 }), TypeError, "Suffix is incompatible with offset.");
        await expectThrown(get({ length: 1, suffix: 2 }), TypeError, "Suffix is incompatible with length.");
        await expectThrown(get({ suffix: -2 }), RangeError, "Invalid suffix. Suffix (-2) must be greater than or equal to 0.");
      });

      it("honours a single satisfiable Range header, clamping its end", async () => {
        await t.bucket.put("text", TEXT);
        const header = (value: string) => new Headers({ Range: value });
        await expectRange(header("bytes=0-4"), "hello", { offset: 0, length: 5 });
        await expectRange(header("bytes=6-"), "world", { offset: 6, length: 5 });
        await expectRange(header("bytes=-5"), "world", { offset: 6, length: 5 });
        await expectRange(header("bytes=8-100"), "rld", { offset: 8, length: 3 });
        await expectRange(header("Bytes = 2-2"), "l", { offset: 2, length: 1 });
      });

      it("serves the whole object, with no error, for every other Range header", async () => {
        await t.bucket.put("text", TEXT);
        for (const value of ["bytes=-11", "bytes=-100", "bytes=-0", "bytes=0-1,3-4", "items=0-1", "bytes=4-2", "bytes=50-60", "bytes=11-", "bytes=x-y", "bytes="]) {
          await expectRange(new Headers({ Range: value }), TEXT, { offset: 0, length: 11 });
        }
        await expectRange(new Headers(), TEXT, { offset: 0, length: 11 });
        await t.bucket.put("empty", "");
        const empty = await t.bucket.get("empty", { range: new Headers({ Range: "bytes=0-0" }) });
        expect(await empty.text()).toBe("");
      });

      it("answers a missing key with null before looking at the range", async () => {
        expect(await t.bucket.get("missing", { range: { offset: 100 } })).toBeNull();
      });

      it("checks the precondition before the range: a failed precondition returns no body and no range error", async () => {
        const { etag } = await t.bucket.put("text", TEXT);
        const object = await t.bucket.get("text", { range: { offset: 100 }, onlyIf: { etagDoesNotMatch: etag } });
        expectBodyless(object);
        expect(object.range).toEqual({ offset: 0, length: 11 });
        expect(await bodyText(await t.bucket.get("text", { range: { offset: 1, length: 1 }, onlyIf: { etagMatches: etag } }))).toBe("e");
      });
    });
  });
}
