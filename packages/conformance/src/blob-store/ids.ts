import { describe, expect, it } from "vitest";
import { assertValidBlobId, decodeUserId, encodeUserId, parseBlobId } from "@cellar/blob-store";
import type { DescribeBlobStoreOptions } from "./blob-store-fixture.js";
import { useBlobStoreTestContext } from "./blob-store-test-context.js";
import { expectStoredBlobs } from "./expect-stored-blobs.js";
import { utf8 } from "./test-bytes.js";

/** `<64 hex random><16 hex time>`, then `-<encoded user id>` when there is one. */
const CELLAR_BLOB_ID = /^[0-9a-f]{80}(?:-[a-z0-9._-]+)?$/;

/** User ids that try to escape the directory, clash on case, or are simply awkward. */
export const HOSTILE_USER_IDS: readonly string[] = [
  "../x",
  "../../../../etc/passwd",
  "..\\..\\windows\\system32",
  "a/b",
  "a\\b",
  "nul\u0000byte",
  ".",
  "..",
  ".hidden",
  "trailing.",
  "con",
  "NUL.txt",
  "a:b*c?d\"e<f>g|h",
  " spaces ",
  "x".repeat(10_000),
  "é".repeat(5_000),
  "😀🎉",
  "A",
  "a",
  "Photo.JPG",
  "photo.jpg",
  "_a",
  "%2e%2e%2f",
];

/** Id format: uniqueness, randomness, creation time, encoded user ids. */
export function describeBlobStoreIds(options: DescribeBlobStoreOptions): void {
  describe(options.name, () => {
    describe("ids", () => {
      const t = useBlobStoreTestContext(options);

      it("issues a distinct id for every put, even with the same body, user id and time", async () => {
        const ids = new Set<string>();
        for (let index = 0; index < 100; index++) ids.add(await t.store.put("same", { userId: "same" }));
        expect(ids.size).toBe(100);
      });

      it("issues valid ids in cellar's format", async () => {
        for (const userId of [undefined, "", "key", "photo.JPG", "users/42/avatar.png", "../x", "x".repeat(10_000)]) {
          const id = await t.store.put("v", userId === undefined ? {} : { userId });
          expect(() => assertValidBlobId(id), `id for user id ${JSON.stringify(userId?.slice(0, 20))}`).not.toThrow();
          expect(id).toMatch(CELLAR_BLOB_ID);
          expect(id.length).toBeLessThanOrEqual(255);
        }
      });

      it("issues ids whose random part looks random", async () => {
        const counts = new Map<string, number>();
        const ids = [];
        for (let index = 0; index < 64; index++) ids.push(await t.store.put(new Uint8Array(0)));
        for (const id of ids) for (const digit of id.slice(0, 64)) counts.set(digit, (counts.get(digit) ?? 0) + 1);
        // 4096 hex digits: each of the 16 is expected 256 times; sequential or constant ids fail.
        expect(counts.size).toBe(16);
        for (const [digit, count] of counts) {
          expect(count, `occurrences of ${digit}`).toBeGreaterThan(150);
          expect(count, `occurrences of ${digit}`).toBeLessThan(370);
        }
        const prefixes = new Set(ids.map((id) => id.slice(0, 16)));
        expect(prefixes.size).toBe(64);
      });

      it("carries the clock's creation time in the id", async () => {
        for (const time of [0, Date.UTC(2026, 10, 21, 23, 21, 37, 261), Date.UTC(2099, 0, 1)]) {
          t.clock.set(time);
          const id = await t.store.put("v", { userId: "k" });
          expect(parseBlobId(id).createdAt).toBe(time);
          expect((await t.store.stat(id))?.createdAt).toBe(time);
        }
      });

      it("carries the user id, encoded, after the time", async () => {
        for (const userId of ["photo.JPG", "users/42/avatar.png", "Hello World", "über.txt"]) {
          const id = await t.store.put("v", { userId });
          expect(id.slice(80)).toBe(`-${encodeUserId(userId)}`);
          expect(decodeUserId(id.slice(81))).toBe(userId);
        }
        expect(await t.store.put("v", { userId: "photo.JPG" })).toMatch(/-photo\._j_p_g$/);
      });

      it("adds no suffix without a user id or with an empty one", async () => {
        expect(await t.store.put("v")).toHaveLength(80);
        expect(await t.store.put("v", { userId: "" })).toHaveLength(80);
      });

      it("stores values under hostile user ids, each apart from the others", async (test) => {
        const ids: string[] = [];
        for (const [index, userId] of HOSTILE_USER_IDS.entries()) {
          ids.push(await t.store.put(`value ${index}`, { userId }));
        }
        expect(new Set(ids).size).toBe(HOSTILE_USER_IDS.length);
        for (const [index, id] of ids.entries()) {
          expect(() => assertValidBlobId(id)).not.toThrow();
          expect(await t.store.getBytes(id), `user id ${JSON.stringify(HOSTILE_USER_IDS[index]!.slice(0, 20))}`).toEqual(
            utf8(`value ${index}`),
          );
          const raw = t.fixture.inspect?.rawBlob;
          if (raw) expect(await raw(id)).toEqual(utf8(`value ${index}`));
        }
        await expectStoredBlobs(t, test, ids);
      });

      it("keeps user ids that differ only in case apart, even on case-insensitive file systems", async () => {
        const pairs = [
          ["A", "a"],
          ["Photo.JPG", "photo.jpg"],
          ["KEY", "key"],
        ] as const;
        for (const [upper, lower] of pairs) {
          const upperId = await t.store.put(upper, { userId: upper });
          const lowerId = await t.store.put(lower, { userId: lower });
          expect(upperId.slice(80).toLowerCase()).not.toBe(lowerId.slice(80).toLowerCase());
          expect(await t.store.getBytes(upperId)).toEqual(utf8(upper));
          expect(await t.store.getBytes(lowerId)).toEqual(utf8(lower));
        }
      });
    });
  });
}
