import * as nodeStreams from "node:stream";
import { createBytesStream, readAll } from "@cellar/blob-store";
import { checksumsOf } from "./checksums.js";
import { httpMetadataOf, writeHttpMetadataHeaders } from "./http-metadata.js";
import type { BodySource } from "./object-reads.js";
import type { ObjectRecord } from "./objects-table.js";
import type { R2BodyBlob, R2BodyStream, R2Checksums, R2HTTPMetadata, R2Object, R2ObjectBody, R2Range, R2WritableHeaders } from "./r2-types.js";

/** `stream.isDisturbed` (Node >= 16.8): whether a web stream was read from or cancelled. Missing from @types/node 20. */
const { isDisturbed } = nodeStreams as unknown as { isDisturbed(stream: unknown): boolean };

/** An object's metadata (`R2Object`), built from its stored row. */
export class CellarR2Object implements R2Object {
  readonly key: string;
  readonly version: string;
  readonly size: number;
  readonly etag: string;
  readonly httpEtag: string;
  readonly checksums: R2Checksums;
  readonly uploaded: Date;
  readonly httpMetadata: R2HTTPMetadata;
  readonly customMetadata: Record<string, string>;
  readonly range: R2Range | undefined;
  readonly storageClass: string;
  readonly ssecKeyMd5: string | undefined = undefined;

  /**
   * @param record the stored row with its storage class
   * @param range what `head` or `get` served; `undefined` for `put`, `complete` and `list`
   */
  constructor(record: ObjectRecord, range?: R2Range) {
    this.key = record.key;
    this.version = record.version;
    this.size = record.size;
    this.etag = record.etag;
    this.httpEtag = `"${record.etag}"`;
    this.checksums = checksumsOf(record.etag, record.checksums);
    this.uploaded = new Date(record.uploaded);
    this.httpMetadata = httpMetadataOf(record.http_metadata);
    this.customMetadata = JSON.parse(record.custom_metadata) as Record<string, string>;
    this.range = range;
    this.storageClass = record.storage_class;
  }

  writeHttpMetadata(headers: R2WritableHeaders): void {
    writeHttpMetadataHeaders(this.httpMetadata, headers);
  }
}

const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });

/**
 * An object with its body (`R2ObjectBody`). The body streams from the blob store (or, for a
 * multipart object, from its parts) and can be read once, as a stream or through one of the
 * reading methods. A small body already read into memory is handed out as is by the reading
 * methods, and becomes a stream only if `body` is asked for.
 */
export class CellarR2ObjectBody extends CellarR2Object implements R2ObjectBody {
  #stream: R2BodyStream | undefined;
  #bytes: Uint8Array | undefined;
  #bytesTaken = false;

  constructor(record: ObjectRecord, range: R2Range, source: BodySource) {
    super(record, range);
    if ("stream" in source) this.#stream = source.stream as R2BodyStream;
    else this.#bytes = source.bytes;
  }

  get body(): R2BodyStream {
    if (this.#stream === undefined) {
      // Taken already: an empty, closed stream, as a consumed body is.
      this.#stream = createBytesStream(this.#bytes ?? new Uint8Array(0)) as R2BodyStream;
      if (this.#bytesTaken) void this.#stream.cancel();
      this.#bytes = undefined;
    }
    return this.#stream;
  }

  get bodyUsed(): boolean {
    return this.#stream === undefined ? this.#bytesTaken : isDisturbed(this.#stream);
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = await this.bytes();
    return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
      ? (bytes.buffer as ArrayBuffer)
      : (bytes.slice().buffer as ArrayBuffer);
  }

  async bytes(): Promise<Uint8Array> {
    if (this.bodyUsed || this.#stream?.locked) {
      throw new TypeError("Body has already been used. It can only be used once. Use tee() first if you need to read it twice.");
    }
    if (this.#stream !== undefined) return readAll(this.#stream);
    this.#bytesTaken = true;
    const bytes = this.#bytes!;
    this.#bytes = undefined;
    return bytes;
  }

  async text(): Promise<string> {
    return utf8.decode(await this.bytes());
  }

  async json<T>(): Promise<T> {
    return JSON.parse(await this.text()) as T;
  }

  async blob(): Promise<R2BodyBlob> {
    const bytes = await this.bytes();
    return new Blob([bytes as Uint8Array<ArrayBuffer>], { type: this.httpMetadata.contentType ?? "" }) as R2BodyBlob;
  }
}
