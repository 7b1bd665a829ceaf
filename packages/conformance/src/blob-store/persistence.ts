import { describe, expect, it } from "vitest";
import type { DescribeBlobStoreOptions } from "./blob-store-fixture.js";
import { useBlobStoreTestContext } from "./blob-store-test-context.js";
import { expectBlobBytes } from "./expect-blob-bytes.js";
import { fromUtf8, patternBytes, readStreamBytes, splitUnevenly, utf8 } from "./test-bytes.js";
import { probedStream, streamOf } from "./test-streams.js";

/** What a persistent store keeps across a close and a reopen. */
export function describeBlobStorePersistence(options: DescribeBlobStoreOptions): void {
  const { capabilities } = options;
  describe(options.name, () => {
    describe("persistence", () => {
      const t = useBlobStoreTestContext(options);

      it.skipIf(!capabilities.persistent)("survives reopening [persistent]", async () => {
        t.clock.set(Date.UTC(2026, 2, 3, 4, 5, 6, 7));
        const fromBytes = await t.store.put(patternBytes(5000, 41), { userId: "bytes.bin" });
        const fromStream = await t.store.put(streamOf(splitUnevenly(patternBytes(400_000, 43), 30_000)));
        const fromText = await t.store.put("0123456789", { userId: "Text.TXT" });
        await t.store.close();

        const reopened = await t.reopen();
        await expectBlobBytes(reopened, fromBytes, patternBytes(5000, 41));
        await expectBlobBytes(reopened, fromStream, patternBytes(400_000, 43));
        await expectBlobBytes(reopened, fromText, utf8("0123456789"));
        expect(await reopened.stat(fromBytes)).toEqual({ size: 5000, createdAt: Date.UTC(2026, 2, 3, 4, 5, 6, 7) });
        expect(await reopened.getBytes(fromText, { start: 2, end: 4 })).toEqual(utf8("234"));
        const ranges = await reopened.getRanges(fromText, [{ start: 0, end: 0 }, { start: 9, end: 9 }], { boundary: "p" });
        expect(fromUtf8(await readStreamBytes(ranges!.body))).toBe(
          "--p\r\nContent-Range: bytes 0-0/10\r\n\r\n0\r\n--p\r\nContent-Range: bytes 9-9/10\r\n\r\n9\r\n--p--",
        );
      });

      it.skipIf(!capabilities.persistent)("deletes after reopening, and the deletion persists [persistent]", async () => {
        const id = await t.store.put("to delete");
        const kept = await t.store.put("kept");
        await t.store.close();
        const second = await t.reopen();
        await second.delete(id);
        await second.close();
        const third = await t.reopen();
        expect(await third.stat(id)).toBeNull();
        await expectBlobBytes(third, kept, utf8("kept"));
      });

      it.skipIf(!(capabilities.persistent && capabilities.sweep))(
        "leaves no trace of a failed write after reopening [persistent, sweep]",
        async () => {
          const kept = await t.store.put("kept");
          const { stream } = probedStream([patternBytes(100_000)], { error: new Error("boom") });
          await expect(t.store.put(stream)).rejects.toThrow("boom");
          await t.store.close();
          const reopened = await t.reopen();
          const seen: string[] = [];
          const result = await reopened.sweep({
            olderThan: Number.MAX_SAFE_INTEGER,
            isReferenced: (id) => {
              seen.push(id);
              return true;
            },
          });
          expect(seen).toEqual([kept]);
          expect(result).toEqual({ deletedBlobs: 0, deletedPartials: 0, freedBytes: 0 });
        },
      );
    });
  });
}
