import type { IncomingMessage } from "node:http";
import type { Readable } from "node:stream";
import busboy from "busboy";
import { KV_LIMITS } from "@cellar/kv";
import { chunksToWebStream, toWebStream } from "../web-stream.js";
import { invalidKVRequest } from "./kv-api-errors.js";
import { checkValueLength } from "./kv-write-checks.js";

/** Stores the value once its metadata is known; `metadata` is the parsed `metadata` part, if any. */
export type StoreValue = (value: ReadableStream<Uint8Array>, metadata: unknown) => Promise<void>;

/** The metadata part is JSON of at most 1024 bytes; anything far past that is refused unread. */
const MAX_METADATA_PART_BYTES = 64 * 1024;

function parseMetadata(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalidKVRequest("The metadata part is not valid JSON.");
  }
}

function readSmallPart(stream: Readable, onText: (text: string) => void, onTooLarge: () => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  stream.on("data", (chunk: Buffer) => {
    size += chunk.byteLength;
    if (size <= MAX_METADATA_PART_BYTES) chunks.push(chunk);
  });
  stream.once("end", () => (size > MAX_METADATA_PART_BYTES ? onTooLarge() : onText(Buffer.concat(chunks).toString("utf8"))));
}

/**
 * Reads a `multipart/form-data` value write (`value` part, optional JSON `metadata` part) and
 * stores it through `store`.
 *
 * When `metadata` comes before `value`, the value streams straight into KV. When it comes after
 * (the order the `cloudflare` client sends them in), the options of the write are not known until
 * the value has been read, so the value is held once, as the chunks that arrived, and handed over
 * as a stream without being concatenated or copied again. A value over 25 MiB is counted to its
 * end and refused; nothing of it is kept or stored.
 */
export function storeMultipartValue(request: IncomingMessage, store: StoreValue): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let failure: unknown;
    let metadataText: string | undefined;
    let valueSeen = false;
    let stored: Promise<void> | undefined;
    let chunks: Buffer[] | undefined;
    let heldBytes = 0;
    const fail = (error: unknown): void => {
      failure ??= error;
    };

    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: request.headers,
        defParamCharset: "utf8",
        limits: { fieldSize: KV_LIMITS.maxValueSize + 1, fields: 16, files: 4, parts: 20 },
      });
    } catch (error) {
      reject(invalidKVRequest(`Malformed multipart body: ${error instanceof Error ? error.message : String(error)}`));
      return;
    }

    parser.on("field", (name, value, info) => {
      if (name === "metadata") {
        metadataText = value;
      } else if (name === "value") {
        if (valueSeen) return fail(invalidKVRequest("The multipart body has more than one value part."));
        valueSeen = true;
        const bytes = Buffer.from(value, "utf8");
        if (info.valueTruncated) return fail(invalidKVRequest(`Value length exceeds limit of ${KV_LIMITS.maxValueSize}.`));
        chunks = [bytes];
        heldBytes = bytes.byteLength;
      } else if (name.startsWith("metadata[")) {
        // What the `cloudflare` client sends for an object: KV expects the metadata as one JSON part.
        fail(invalidKVRequest("Send metadata as one part holding JSON text (metadata: JSON.stringify(value)), not as form fields."));
      }
    });

    parser.on("file", (name, stream) => {
      if (name === "metadata") {
        readSmallPart(stream, (text) => (metadataText = text), () => fail(invalidKVRequest("The metadata part is too large.")));
        return;
      }
      if (name !== "value" || valueSeen || failure !== undefined) {
        if (name === "value" && valueSeen) fail(invalidKVRequest("The multipart body has more than one value part."));
        stream.resume();
        return;
      }
      valueSeen = true;
      if (metadataText !== undefined) {
        let metadata: unknown;
        try {
          metadata = parseMetadata(metadataText);
        } catch (error) {
          fail(error);
          stream.resume();
          return;
        }
        const body = toWebStream(stream);
        stored = store(body.stream, metadata).catch((error: unknown) => {
          fail(error);
          body.discard();
        });
        return;
      }
      chunks = [];
      stream.on("data", (chunk: Buffer) => {
        heldBytes += chunk.byteLength;
        // Past the limit, keep counting to report the real length, but keep nothing.
        if (heldBytes <= KV_LIMITS.maxValueSize) chunks!.push(chunk);
        else chunks!.length = 0;
      });
    });

    parser.once("error", (error: unknown) => {
      request.unpipe(parser);
      request.resume();
      reject(invalidKVRequest(`Malformed multipart body: ${error instanceof Error ? error.message : String(error)}`));
    });

    parser.once("close", () => {
      void (async () => {
        if (stored !== undefined) await stored;
        else if (failure === undefined) {
          if (!valueSeen || chunks === undefined) throw invalidKVRequest("The multipart body has no value part.");
          checkValueLength(heldBytes);
          await store(chunksToWebStream(chunks), parseMetadata(metadataText));
        }
        if (failure !== undefined) throw failure;
      })().then(resolve, reject);
    });

    request.pipe(parser);
  });
}
