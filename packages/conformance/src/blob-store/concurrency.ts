import { describe, expect, it } from "vitest";
import type { DescribeBlobStoreOptions } from "./blob-store-fixture.js";
import { useBlobStoreTestContext } from "./blob-store-test-context.js";
import { expectBlobBytes } from "./expect-blob-bytes.js";
import { expectSameBytes, patternBytes, readStreamBytes, splitUnevenly, utf8 } from "./test-bytes.js";
import { sleep, streamOf } from "./test-streams.js";

/** Many calls in flight at once never interfere. */
export function describeBlobStoreConcurrency(options: DescribeBlobStoreOptions): void {
  const { capabilities } = options;
  describe(options.name, () => {
    describe("concurrency", () => {
      const t = useBlobStoreTestContext(options);

      it("runs 64 parallel puts of distinct bodies without mixing them up", async () => {
        const bodies = Array.from({ length: 64 }, (_, index) => patternBytes(1000 + index * 37, index + 1));
        const ids = await Promise.all(
          bodies.map((body, index) =>
            index % 2 === 0 ? t.store.put(body, { userId: `key-${index}` }) : t.store.put(streamOf(splitUnevenly(body, 300))),
          ),
        );
        expect(new Set(ids).size).toBe(64);
        const read = await Promise.all(ids.map((id) => t.store.getBytes(id)));
        read.forEach((bytes, index) => expectSameBytes(bytes, bodies[index]!, `blob ${index}`));
      });

      it("serves parallel reads while other blobs are written and deleted", async () => {
        const initial = await Promise.all(Array.from({ length: 20 }, (_, index) => t.store.put(`blob ${index}`)));
        const work: Promise<unknown>[] = [];
        const added: Promise<string>[] = [];
        for (const [index, id] of initial.entries()) {
          if (index % 2 === 0) work.push(t.store.delete(id));
          else work.push(t.store.get(id).then((stream) => readStreamBytes(stream!)).then((bytes) => expect(bytes).toEqual(utf8(`blob ${index}`))));
          const put = t.store.put(`new ${index}`);
          added.push(put);
          work.push(put);
        }
        await Promise.all(work);
        for (const [index, id] of initial.entries()) {
          if (index % 2 === 0) expect(await t.store.stat(id)).toBeNull();
          else await expectBlobBytes(t.store, id, utf8(`blob ${index}`));
        }
        for (const [index, id] of (await Promise.all(added)).entries()) await expectBlobBytes(t.store, id, utf8(`new ${index}`));
      });

      it("interleaves two streaming puts chunk by chunk", async () => {
        const first = splitUnevenly(patternBytes(200_000, 51), 10_000);
        const second = splitUnevenly(patternBytes(150_000, 53), 7_000);
        // Each source yields to the event loop between chunks, so the two writes interleave.
        const slowly = (chunks: Uint8Array[]): ReadableStream<Uint8Array> => {
          let index = 0;
          return new ReadableStream<Uint8Array>({
            async pull(controller) {
              await sleep(0);
              const chunk = chunks[index++];
              if (chunk) controller.enqueue(chunk);
              else controller.close();
            },
          });
        };
        const [a, b] = await Promise.all([t.store.put(slowly(first)), t.store.put(slowly(second))]);
        await expectBlobBytes(t.store, a, patternBytes(200_000, 51));
        await expectBlobBytes(t.store, b, patternBytes(150_000, 53));
      });

      it("resolves parallel deletes of one blob", async () => {
        const id = await t.store.put("once");
        await Promise.all(Array.from({ length: 10 }, () => t.store.delete(id)));
        expect(await t.store.stat(id)).toBeNull();
      });

      it.skipIf(!(capabilities.persistent && capabilities.multiProcess))(
        "shares one location between two open stores [persistent, multiProcess]",
        async () => {
          const other = await t.reopen();
          const fromFirst = await t.store.put("written by the first store");
          const fromSecond = await other.put("written by the second store");
          await expectBlobBytes(other, fromFirst, utf8("written by the first store"));
          await expectBlobBytes(t.store, fromSecond, utf8("written by the second store"));
          await other.delete(fromFirst);
          expect(await t.store.stat(fromFirst)).toBeNull();
        },
      );
    });
  });
}
