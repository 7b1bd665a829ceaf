import { describe, expect, it } from "vitest";
import type { DescribeKVOptions } from "./kv-fixture.js";
import { expectKVError, expectKVTypeError } from "./kv-expect.js";
import { KV_TEST_START_SECONDS, useKVTestContext } from "./kv-test-context.js";

const MAX_VALUE = 25 * 1024 * 1024;

/** Every limit and check of kv.md §2, with the runtime's exact messages, types and order. */
export function describeKVValidation(options: DescribeKVOptions): void {
  describe(options.name, () => {
    describe("validation", () => {
      const t = useKVTestContext(options);
      const now = KV_TEST_START_SECONDS;

      it("rejects an empty key with a TypeError on get, put and delete", async () => {
        for (const run of [
          () => t.kv.get(""),
          () => t.kv.getWithMetadata(""),
          () => t.kv.put("", "v"),
          () => t.kv.delete(""),
        ]) {
          await expectKVTypeError(run, "Key name cannot be empty.");
        }
      });

      it('rejects "." and ".." as keys, and accepts other runs of dots', async () => {
        for (const key of [".", ".."]) {
          await expectKVTypeError(() => t.kv.get(key), `"${key}" is not allowed as a key name.`);
          await expectKVTypeError(() => t.kv.put(key, "v"), `"${key}" is not allowed as a key name.`);
          await expectKVTypeError(() => t.kv.delete(key), `"${key}" is not allowed as a key name.`);
        }
        for (const key of ["...", "./", "a.."]) {
          await t.kv.put(key, key);
          expect(await t.kv.get(key)).toBe(key);
        }
      });

      it("limits keys to 512 UTF-8 bytes, counted in bytes, on every operation", async () => {
        const ascii = "k".repeat(513);
        await expectKVError(() => t.kv.get(ascii), "KV GET failed: 414 UTF-8 encoded length of 513 exceeds key length limit of 512.");
        await expectKVError(() => t.kv.getWithMetadata(ascii), "KV GET failed: 414 UTF-8 encoded length of 513 exceeds key length limit of 512.");
        await expectKVError(() => t.kv.put(ascii, "v"), "KV PUT failed: 414 UTF-8 encoded length of 513 exceeds key length limit of 512.");
        await expectKVError(() => t.kv.delete(ascii), "KV DELETE failed: 414 UTF-8 encoded length of 513 exceeds key length limit of 512.");
        const emoji = "😀".repeat(129);
        await expectKVError(() => t.kv.put(emoji, "v"), "KV PUT failed: 414 UTF-8 encoded length of 516 exceeds key length limit of 512.");
        // A lone surrogate becomes U+FFFD, three bytes.
        await expectKVError(() => t.kv.put(`${"k".repeat(510)}\uD800`, "v"), "KV PUT failed: 414 UTF-8 encoded length of 513 exceeds key length limit of 512.");
        for (const key of ["k".repeat(512), "é".repeat(256), "😀".repeat(128)]) {
          await t.kv.put(key, "fits");
          expect(await t.kv.get(key)).toBe("fits");
        }
      });

      it("validates cacheTtl: at least 30, NaN sent as 0", async () => {
        await t.kv.put("key", "v");
        await expectKVError(() => t.kv.get("key", { cacheTtl: 29 }), "KV GET failed: 400 Invalid cache_ttl of 29. Cache TTL must be at least 30.");
        await expectKVError(() => t.kv.get("key", { cacheTtl: Number.NaN }), "KV GET failed: 400 Invalid cache_ttl of 0. Cache TTL must be at least 30.");
        await expectKVError(
          () => t.kv.getWithMetadata("key", { type: "json", cacheTtl: -5 }),
          "KV GET failed: 400 Invalid cache_ttl of -5. Cache TTL must be at least 30.",
        );
        expect(await t.kv.get("key", { cacheTtl: 30 })).toBe("v");
        expect(await t.kv.get("key", { cacheTtl: 30.9 })).toBe("v");
      });

      it("validates expirationTtl: a positive integer of at least 60", async () => {
        const invalid = (value: string) => `KV PUT failed: 400 Invalid expiration_ttl of ${value}. Please specify integer greater than 0.`;
        await expectKVError(() => t.kv.put("key", "v", { expirationTtl: 0 }), invalid("0"));
        await expectKVError(() => t.kv.put("key", "v", { expirationTtl: -1 }), invalid("-1"));
        await expectKVError(() => t.kv.put("key", "v", { expirationTtl: Number.NaN }), invalid("0"));
        await expectKVError(() => t.kv.put("key", "v", { expirationTtl: "soon" }), invalid("0"));
        await expectKVError(
          () => t.kv.put("key", "v", { expirationTtl: 59 }),
          "KV PUT failed: 400 Invalid expiration_ttl of 59. Expiration TTL must be at least 60.",
        );
        await expectKVError(
          () => t.kv.put("key", "v", { expirationTtl: 59.9 }),
          "KV PUT failed: 400 Invalid expiration_ttl of 59. Expiration TTL must be at least 60.",
        );
        expect(await t.kv.get("key")).toBeNull();
        await t.kv.put("key", "v", { expirationTtl: 60 });
        expect(await t.kv.get("key")).toBe("v");
      });

      it("validates expiration: in the future, by at least 60 seconds", async () => {
        const past = (value: number) =>
          `KV PUT failed: 400 Invalid expiration of ${value}. Please specify integer greater than the current number of seconds since the UNIX epoch.`;
        await expectKVError(() => t.kv.put("key", "v", { expiration: now }), past(now));
        await expectKVError(() => t.kv.put("key", "v", { expiration: now - 1 }), past(now - 1));
        await expectKVError(() => t.kv.put("key", "v", { expiration: Number.NaN }), past(0));
        await expectKVError(
          () => t.kv.put("key", "v", { expiration: now + 59 }),
          `KV PUT failed: 400 Invalid expiration of ${now + 59}. Expiration times must be at least 60 seconds in the future.`,
        );
        expect(await t.kv.get("key")).toBeNull();
        await t.kv.put("key", "v", { expiration: now + 60 });
        expect(await t.kv.get("key")).toBe("v");
      });

      it("limits metadata to 1024 bytes of JSON", async () => {
        // JSON.stringify("é".repeat(511)) is 2 + 1022 bytes.
        await t.kv.put("fits", "v", { metadata: "é".repeat(511) });
        expect((await t.kv.getWithMetadata("fits")).metadata).toBe("é".repeat(511));
        await expectKVError(() => t.kv.put("key", "v", { metadata: "x".repeat(1023) }), "KV PUT failed: 413 Metadata length of 1025 exceeds limit of 1024.");
        await expectKVError(() => t.kv.put("key", "v", { metadata: { big: "é".repeat(600) } }), "KV PUT failed: 413 Metadata length of 1210 exceeds limit of 1024.");
        expect(await t.kv.get("key")).toBeNull();
      });

      it("limits values to 25 MiB, reporting the real length", async () => {
        await expectKVError(
          () => t.kv.put("big", new Uint8Array(MAX_VALUE + 1)),
          `KV PUT failed: 413 Value length of ${MAX_VALUE + 1} exceeds limit of ${MAX_VALUE}.`,
        );
        await expectKVError(
          () => t.kv.put("big", "x".repeat(MAX_VALUE + 10)),
          `KV PUT failed: 413 Value length of ${MAX_VALUE + 10} exceeds limit of ${MAX_VALUE}.`,
        );
        expect(await t.kv.get("big")).toBeNull();
      });

      it("checks a put in order: key, expiration, metadata, value", async () => {
        const bigMetadata = { metadata: "x".repeat(2000) };
        const bigValue = new Uint8Array(MAX_VALUE + 1);
        await expectKVTypeError(() => t.kv.put("", bigValue, { expirationTtl: 1, ...bigMetadata }), "Key name cannot be empty.");
        await expectKVError(
          () => t.kv.put("k".repeat(513), bigValue, { expirationTtl: 1, ...bigMetadata }),
          "KV PUT failed: 414 UTF-8 encoded length of 513 exceeds key length limit of 512.",
        );
        await expectKVError(
          () => t.kv.put("key", bigValue, { expirationTtl: 1, ...bigMetadata }),
          "KV PUT failed: 400 Invalid expiration_ttl of 1. Expiration TTL must be at least 60.",
        );
        await expectKVError(
          () => t.kv.put("key", bigValue, { expiration: now, ...bigMetadata }),
          `KV PUT failed: 400 Invalid expiration of ${now}. Please specify integer greater than the current number of seconds since the UNIX epoch.`,
        );
        await expectKVError(() => t.kv.put("key", bigValue, { expirationTtl: 60, ...bigMetadata }), "KV PUT failed: 413 Metadata length of 2002 exceeds limit of 1024.");
        await expectKVError(() => t.kv.put("key", bigValue, { expirationTtl: 60 }), `KV PUT failed: 413 Value length of ${MAX_VALUE + 1} exceeds limit of ${MAX_VALUE}.`);
      });

      it("leaves the stored value untouched when a put is rejected", async () => {
        await t.kv.put("key", "original", { metadata: { keep: true } });
        await expectKVError(() => t.kv.put("key", "new", { expirationTtl: 1 }), "KV PUT failed: 400 Invalid expiration_ttl of 1. Expiration TTL must be at least 60.");
        await expectKVError(() => t.kv.put("key", "new", { metadata: "x".repeat(2000) }), "KV PUT failed: 413 Metadata length of 2002 exceeds limit of 1024.");
        await expectKVError(() => t.kv.put("key", new Uint8Array(MAX_VALUE + 1)), `KV PUT failed: 413 Value length of ${MAX_VALUE + 1} exceeds limit of ${MAX_VALUE}.`);
        expect(await t.kv.getWithMetadata("key")).toEqual({ value: "original", metadata: { keep: true }, cacheStatus: null });
      });

      it.skipIf(!options.capabilities?.blobCount)("rejects an over-limit put without leaving a blob [inspect.blobCount]", async () => {
        const blobCount = t.hook("blobCount");
        await t.kv.put("existing", "v");
        await expectKVError(() => t.kv.put("big", new Uint8Array(MAX_VALUE + 1)), `KV PUT failed: 413 Value length of ${MAX_VALUE + 1} exceeds limit of ${MAX_VALUE}.`);
        await expectKVError(() => t.kv.put("bad", "v", { expirationTtl: 5 }), "KV PUT failed: 400 Invalid expiration_ttl of 5. Expiration TTL must be at least 60.");
        expect(await blobCount()).toBe(1);
      });
    });
  });
}
