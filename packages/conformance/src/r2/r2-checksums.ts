import { describe, expect, it } from "vitest";
import { expectSameBytes, patternBytes } from "../blob-store/test-bytes.js";
import type { DescribeR2Options } from "./r2-fixture.js";
import { bodyText, expectR2Error, expectThrown, hashHex, md5Hex } from "./r2-expect.js";
import { useR2TestContext } from "./r2-test-context.js";

const ALGORITHMS = [
  { field: "md5", name: "MD5", node: "md5", bytes: 16 },
  { field: "sha1", name: "SHA-1", node: "sha1", bytes: 20 },
  { field: "sha256", name: "SHA-256", node: "sha256", bytes: 32 },
  { field: "sha384", name: "SHA-384", node: "sha384", bytes: 48 },
  { field: "sha512", name: "SHA-512", node: "sha512", bytes: 64 },
] as const;

/** Checksums given to `put`: verified against the bytes received, stored recomputed, exact errors. */
export function describeR2Checksums(options: DescribeR2Options): void {
  describe(options.name, () => {
    describe("checksums", () => {
      const t = useR2TestContext(options);
      const content = "checksum me";

      it("verifies each algorithm given as hex (any case) or bytes, and stores it recomputed in lowercase", async () => {
        for (const { field, node } of ALGORITHMS) {
          const hex = hashHex(node, content);
          const put = await t.bucket.put(`hex-${field}`, content, { [field]: hex.toUpperCase() });
          const expected = { md5: md5Hex(content), [field]: hex };
          expect(put.checksums.toJSON(), field).toEqual(expected);
          const head = await t.bucket.head(`hex-${field}`);
          expect(head.checksums.toJSON(), field).toEqual(expected);
          expectSameBytes(new Uint8Array(head.checksums[field]), Buffer.from(hex, "hex"), field);
          const bytes = Buffer.from(hex, "hex");
          await t.bucket.put(`bytes-${field}`, content, { [field]: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) });
          expect((await t.bucket.get(`bytes-${field}`)).checksums.toJSON(), field).toEqual(expected);
        }
      });

      it("verifies a hash of a streamed body", async () => {
        const bytes = patternBytes(200_000, 3);
        const put = await t.bucket.put("stream", t.knownLength([bytes.subarray(0, 77_777), bytes.subarray(77_777)]), {
          sha256: hashHex("sha256", bytes),
        });
        expect(put.checksums.toJSON()).toEqual({ md5: md5Hex(bytes), sha256: hashHex("sha256", bytes) });
      });

      it("rejects a mismatch with 10037, naming both hashes, and stores nothing", async () => {
        await t.bucket.put("key", "old");
        for (const { field, name, node, bytes } of ALGORITHMS) {
          const provided = "ab".repeat(bytes);
          await expectR2Error(
            () => t.bucket.put("key", content, { [field]: provided }),
            `put: The ${name} checksum you specified did not match what we received.\n` +
              `You provided a ${name} checksum with value: ${provided}\n` +
              `Actual ${name} was: ${hashHex(node, content)} (10037)`,
          );
        }
        expect(await bodyText(await t.bucket.get("key"))).toBe("old");
      });

      it("rejects two hashes, a wrong length and bad hex with the runtime's TypeErrors", async () => {
        const put = (options: Record<string, unknown>) => () => t.bucket.put("key", content, options);
        await expectThrown(put({ md5: md5Hex(content), sha1: hashHex("sha1", content) }), TypeError, "You cannot specify multiple hashing algorithms.");
        await expectThrown(put({ md5: "abcd" }), TypeError, "MD5 is 32 hex characters, not 4");
        await expectThrown(put({ sha512: "ab" }), TypeError, "SHA-512 is 128 hex characters, not 2");
        await expectThrown(put({ sha1: new Uint8Array(3) }), TypeError, "SHA-1 is 20 bytes, not 3");
        await expectThrown(put({ sha256: "zz".repeat(32) }), TypeError, "Provided SHA-256 wasn't a valid hex string");
        expect(await t.bucket.head("key")).toBeNull();
      });
    });
  });
}
