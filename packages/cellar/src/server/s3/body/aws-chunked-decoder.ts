import { createHash, type Hash } from "node:crypto";
import { EMPTY_SHA256, hmac, signaturesEqual, sha256Hex } from "../auth/sigv4-primitives.js";
import type { SigningContext } from "../auth/signing-context.js";
import { S3Error, s3Errors } from "../s3-error.js";

/** Longest chunk-size or trailer line accepted; real ones are well under 200 bytes. */
const MAX_LINE_LENGTH = 8192;
const TRAILER_SIGNATURE = "x-amz-trailer-signature";

type Phase = "size" | "data" | "data-end" | "trailer" | "done";

function incomplete(message: string): S3Error {
  return new S3Error("IncompleteBody", 400, `The aws-chunked body is malformed: ${message}`);
}

/**
 * Decodes an `aws-chunked` body (`Content-Encoding: aws-chunked`, as AWS SDKs send streams):
 * `<hex size>[;chunk-signature=<sig>]\r\n<data>\r\n` … `0…\r\n`, then optional trailer lines
 * (`x-amz-checksum-crc32:<base64>`, `x-amz-trailer-signature:<sig>`) and an empty line. Data
 * passes through without copying; only the short size and trailer lines are buffered.
 *
 * With a signing context (a verified `STREAMING-AWS4-HMAC-SHA256-PAYLOAD…` request), every chunk
 * signature and the trailer signature are checked, each chained on the one before.
 */
export class AwsChunkedDecoder {
  /** Trailer headers by lowercase name, known once the body has ended. */
  readonly trailers = new Map<string, string>();
  /** The S3 error that stopped the stream, if the body itself was at fault. */
  failure: S3Error | undefined;
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<Uint8Array>;

  readonly #signing: SigningContext | undefined;
  #previousSignature: string;
  #phase: Phase = "size";
  #line: Uint8Array[] = [];
  #lineLength = 0;
  #remaining = 0;
  #chunkSignature: string | undefined;
  #chunkHash: Hash | undefined;
  #trailerText = "";
  #trailerSignature: string | undefined;

  constructor(signing?: SigningContext) {
    this.#signing = signing;
    this.#previousSignature = signing?.seedSignature ?? "";
    const stream = new TransformStream<Uint8Array, Uint8Array>({
      transform: (chunk, controller) => this.#guard(() => this.#transform(chunk, controller)),
      flush: () => this.#guard(() => this.#flush()),
    });
    this.readable = stream.readable;
    this.writable = stream.writable;
  }

  #guard(step: () => void): void {
    try {
      step();
    } catch (error) {
      if (error instanceof S3Error) this.failure ??= error;
      throw error;
    }
  }

  #transform(chunk: Uint8Array, controller: TransformStreamDefaultController<Uint8Array>): void {
    let offset = 0;
    while (offset < chunk.byteLength) {
      if (this.#phase === "data") {
        const take = Math.min(this.#remaining, chunk.byteLength - offset);
        const data = chunk.subarray(offset, offset + take);
        this.#chunkHash?.update(data);
        controller.enqueue(data);
        this.#remaining -= take;
        offset += take;
        if (this.#remaining === 0) this.#phase = "data-end";
        continue;
      }
      if (this.#phase === "done") {
        if (chunk.subarray(offset).some((byte) => byte !== 0x0d && byte !== 0x0a)) throw incomplete("data after the final chunk");
        return;
      }
      const newline = chunk.indexOf(0x0a, offset);
      const end = newline === -1 ? chunk.byteLength : newline;
      this.#line.push(chunk.subarray(offset, end));
      this.#lineLength += end - offset;
      if (this.#lineLength > MAX_LINE_LENGTH) throw incomplete("a chunk header is too long");
      if (newline === -1) return;
      offset = newline + 1;
      const line = Buffer.concat(this.#line).toString("latin1").replace(/\r$/, "");
      this.#line = [];
      this.#lineLength = 0;
      this.#handleLine(line);
    }
  }

  #handleLine(line: string): void {
    switch (this.#phase) {
      case "size": {
        const [sizeText = "", ...extensions] = line.split(";");
        if (!/^[0-9a-fA-F]{1,15}$/.test(sizeText.trim())) throw incomplete(`"${line.slice(0, 40)}" is not a chunk size`);
        const size = Number.parseInt(sizeText.trim(), 16);
        const signature = extensions.map((extension) => /^\s*chunk-signature=([0-9a-fA-F]+)\s*$/.exec(extension)?.[1]).find((found) => found !== undefined);
        this.#chunkSignature = signature;
        this.#chunkHash = this.#signing === undefined ? undefined : createHash("sha256");
        if (size === 0) {
          this.#verifyChunk();
          this.#phase = "trailer";
        } else {
          this.#remaining = size;
          this.#phase = "data";
        }
        return;
      }
      case "data-end":
        if (line !== "") throw incomplete("a chunk is longer than its size");
        this.#verifyChunk();
        this.#phase = "size";
        return;
      case "trailer": {
        if (line === "") {
          this.#verifyTrailer();
          this.#phase = "done";
          return;
        }
        const colon = line.indexOf(":");
        if (colon <= 0) throw incomplete(`"${line.slice(0, 40)}" is not a trailer`);
        const name = line.slice(0, colon).trim().toLowerCase();
        const value = line.slice(colon + 1).trim();
        if (name === TRAILER_SIGNATURE) {
          this.#trailerSignature = value;
        } else {
          this.trailers.set(name, value);
          this.#trailerText += `${name}:${value}\n`;
        }
        return;
      }
      default:
        return;
    }
  }

  #verifyChunk(): void {
    const signing = this.#signing;
    if (signing === undefined) return;
    const given = this.#chunkSignature;
    const dataHash = this.#chunkHash?.digest("hex") ?? EMPTY_SHA256;
    const stringToSign = ["AWS4-HMAC-SHA256-PAYLOAD", signing.amzDate, signing.scope, this.#previousSignature, EMPTY_SHA256, dataHash].join("\n");
    const expected = hmac(signing.signingKey, stringToSign).toString("hex");
    if (given === undefined || !signaturesEqual(expected, given)) throw s3Errors.signatureDoesNotMatch();
    this.#previousSignature = expected;
  }

  #verifyTrailer(): void {
    const signing = this.#signing;
    if (signing === undefined || this.#trailerText === "") return;
    const stringToSign = ["AWS4-HMAC-SHA256-TRAILER", signing.amzDate, signing.scope, this.#previousSignature, sha256Hex(this.#trailerText)].join("\n");
    const expected = hmac(signing.signingKey, stringToSign).toString("hex");
    if (this.#trailerSignature === undefined || !signaturesEqual(expected, this.#trailerSignature)) throw s3Errors.signatureDoesNotMatch();
  }

  #flush(): void {
    // A body may end right after the final chunk's line, without the empty line that closes the trailers.
    if (this.#phase === "trailer") {
      if (this.#lineLength > 0) this.#handleLine(Buffer.concat(this.#line).toString("latin1").replace(/\r$/, ""));
      this.#verifyTrailer();
    } else if (this.#phase !== "done") throw incomplete("the body ended inside a chunk");
  }
}
