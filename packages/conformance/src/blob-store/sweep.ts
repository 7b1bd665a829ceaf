import { describe, expect, it } from "vitest";
import type { BlobId, SweepOptions } from "@cellar/blob-store";
import type { DescribeBlobStoreOptions } from "./blob-store-fixture.js";
import { useBlobStoreTestContext } from "./blob-store-test-context.js";
import { expectTypeError } from "./expect-rejection.js";
import { expectBlobBytes } from "./expect-blob-bytes.js";
import { patternBytes, utf8 } from "./test-bytes.js";
import { sleep } from "./test-streams.js";

const HOUR = 60 * 60 * 1000;

/** `sweep`: which blobs and partial writes it deletes, by age and reference, and its counts. */
export function describeBlobStoreSweep(options: DescribeBlobStoreOptions): void {
  const { capabilities } = options;
  describe(options.name, () => {
    describe("sweep", () => {
      const t = useBlobStoreTestContext(options);

      it.skipIf(!capabilities.sweep)("keeps blobs created at or after olderThan [sweep]", async () => {
        const cutoff = t.clock.now();
        const atCutoff = await t.store.put("at the cutoff");
        t.clock.advance(1);
        const younger = await t.store.put("younger");
        const result = await t.store.sweep({ olderThan: cutoff, isReferenced: () => false });
        expect(result).toEqual({ deletedBlobs: 0, deletedPartials: 0, freedBytes: 0 });
        await expectBlobBytes(t.store, atCutoff, utf8("at the cutoff"));
        await expectBlobBytes(t.store, younger, utf8("younger"));
      });

      it.skipIf(!capabilities.sweep)(
        "deletes old unreferenced blobs, keeps referenced and young ones, with exact counts [sweep]",
        async () => {
          const oldUnreferenced = [await t.store.put(patternBytes(10)), await t.store.put(patternBytes(20), { userId: "k" }), await t.store.put(patternBytes(30))];
          const oldReferenced = [await t.store.put("ref 1"), await t.store.put("ref 2")];
          t.clock.advance(2 * HOUR);
          const young = [await t.store.put("young 1"), await t.store.put("young 2")];
          const referenced = new Set(oldReferenced);
          const result = await t.store.sweep({ olderThan: t.clock.now() - HOUR, isReferenced: (id) => referenced.has(id) });
          expect(result).toEqual({ deletedBlobs: 3, deletedPartials: 0, freedBytes: 60 });
          for (const id of oldUnreferenced) expect(await t.store.stat(id), `swept ${id}`).toBeNull();
          await expectBlobBytes(t.store, oldReferenced[0]!, utf8("ref 1"));
          await expectBlobBytes(t.store, oldReferenced[1]!, utf8("ref 2"));
          await expectBlobBytes(t.store, young[0]!, utf8("young 1"));
          await expectBlobBytes(t.store, young[1]!, utf8("young 2"));
          const again = await t.store.sweep({ olderThan: t.clock.now() - HOUR, isReferenced: (id) => referenced.has(id) });
          expect(again).toEqual({ deletedBlobs: 0, deletedPartials: 0, freedBytes: 0 });
        },
      );

      it.skipIf(!capabilities.sweep)("asks isReferenced about every old blob and no young one [sweep]", async () => {
        const old = [await t.store.put("a"), await t.store.put("b", { userId: "b" })];
        t.clock.advance(HOUR);
        await t.store.put("young");
        const asked: BlobId[] = [];
        await t.store.sweep({
          olderThan: t.clock.now(),
          isReferenced: (id) => {
            asked.push(id);
            return true;
          },
        });
        expect([...asked].sort()).toEqual([...old].sort());
      });

      it.skipIf(!capabilities.sweep)("awaits an asynchronous isReferenced [sweep]", async () => {
        const kept = await t.store.put("kept");
        const dropped = await t.store.put("dropped");
        t.clock.advance(HOUR);
        const result = await t.store.sweep({
          olderThan: t.clock.now(),
          isReferenced: async (id) => {
            await sleep(5);
            return id === kept;
          },
        });
        expect(result).toEqual({ deletedBlobs: 1, deletedPartials: 0, freedBytes: 7 });
        expect(await t.store.stat(dropped)).toBeNull();
        await expectBlobBytes(t.store, kept, utf8("kept"));
      });

      it.skipIf(!capabilities.sweep)(
        "deletes partial writes older than the cutoff and keeps younger ones [sweep, inspect.createPartialWrite]",
        async (test) => {
          const { createPartialWrite, countEntries } = t.fixture.inspect ?? {};
          if (!createPartialWrite) return test.skip("the fixture has no inspect.createPartialWrite");
          const blob = await t.store.put("a blob");
          await createPartialWrite(2 * HOUR);
          await createPartialWrite(2 * HOUR);
          await createPartialWrite(60_000);
          if (countEntries) expect(await countEntries()).toBe(4);
          const result = await t.store.sweep({ olderThan: t.clock.now() - HOUR, isReferenced: () => true });
          expect(result.deletedBlobs).toBe(0);
          expect(result.deletedPartials).toBe(2);
          if (countEntries) expect(await countEntries()).toBe(2);
          await expectBlobBytes(t.store, blob, utf8("a blob"));
          const later = await t.store.sweep({ olderThan: t.clock.now(), isReferenced: () => true });
          expect(later.deletedPartials).toBe(1);
          if (countEntries) expect(await countEntries()).toBe(1);
        },
      );

      it.skipIf(!capabilities.sweep)("deletes nothing in an empty store [sweep]", async () => {
        expect(await t.store.sweep({ olderThan: Number.MAX_SAFE_INTEGER, isReferenced: () => false })).toEqual({
          deletedBlobs: 0,
          deletedPartials: 0,
          freedBytes: 0,
        });
      });

      it.skipIf(!capabilities.sweep)("refuses a missing or NaN cutoff with a TypeError and deletes nothing [sweep]", async () => {
        const id = await t.store.put("precious");
        t.clock.advance(HOUR);
        for (const olderThan of [undefined, Number.NaN, "1"]) {
          await expectTypeError(
            () => t.store.sweep({ olderThan, isReferenced: () => false } as unknown as SweepOptions),
            String(olderThan),
          );
        }
        await expectBlobBytes(t.store, id, utf8("precious"));
      });
    });
  });
}
