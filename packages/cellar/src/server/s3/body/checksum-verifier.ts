import { createHash, type Hash } from "node:crypto";
import { crc32 } from "node:zlib";
import type { S3Error } from "../s3-error.js";
import { crc32c } from "./crc32c.js";

/** The algorithms this server can compute while a body streams. */
export type VerifiableAlgorithm = "crc32" | "crc32c" | "sha1" | "sha256" | "md5";

/** One checksum a body must match. */
export interface ChecksumCheck {
  readonly algorithm: VerifiableAlgorithm;
  /** The expected digest, base64 or hex as `encoding` says; read when the body ends (a trailer arrives last). Undefined skips the check. */
  readonly expected: () => string | undefined;
  readonly encoding: "base64" | "hex";
  /** The error a mismatch fails the body with. */
  readonly mismatch: () => S3Error;
  /** The response header that echoes the checksum once verified (`x-amz-checksum-crc32`), if any. */
  readonly echoHeader?: string;
}

interface RunningDigest {
  update(data: Uint8Array): void;
  digest(): Buffer;
}

function runningDigest(algorithm: VerifiableAlgorithm): RunningDigest {
  if (algorithm === "crc32" || algorithm === "crc32c") {
    const step = algorithm === "crc32" ? crc32 : crc32c;
    let value = 0;
    return {
      update: (data) => void (value = step(data, value)),
      digest: () => {
        const bytes = Buffer.alloc(4);
        bytes.writeUInt32BE(value >>> 0);
        return bytes;
      },
    };
  }
  const hash: Hash = createHash(algorithm);
  return { update: (data) => void hash.update(data), digest: () => hash.digest() };
}

/**
 * Passes a body through unchanged while computing the checksums it must match, and errors the
 * stream at its end if one differs, so a `put` reading it stores nothing.
 */
export class ChecksumVerifier {
  /** The S3 error of the first mismatch. */
  failure: S3Error | undefined;
  /** Echo headers of the checksums verified, with their values as given (filled when the body ends). */
  readonly verified: Record<string, string> = {};
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<Uint8Array>;

  constructor(checks: readonly ChecksumCheck[]) {
    const digests = checks.map((check) => ({ check, digest: runningDigest(check.algorithm) }));
    const stream = new TransformStream<Uint8Array, Uint8Array>({
      transform: (chunk, controller) => {
        for (const { digest } of digests) digest.update(chunk);
        controller.enqueue(chunk);
      },
      flush: () => {
        for (const { check, digest } of digests) {
          const expected = check.expected();
          if (expected === undefined) continue;
          const actual = digest.digest().toString(check.encoding);
          const matches = check.encoding === "hex" ? actual === expected.toLowerCase() : actual === expected;
          if (!matches) {
            this.failure = check.mismatch();
            throw this.failure;
          }
          if (check.echoHeader !== undefined) this.verified[check.echoHeader] = expected;
        }
      },
    });
    this.readable = stream.readable;
    this.writable = stream.writable;
  }
}
