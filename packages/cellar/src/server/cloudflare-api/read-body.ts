import type { IncomingMessage } from "node:http";
import { CloudflareApiError } from "./api-error.js";

/** How a too-large or malformed JSON body is refused; each product has its own codes. */
export interface JsonBodyErrors {
  /** The largest body accepted, in bytes. */
  readonly maxBytes: number;
  /** The error for a body over `maxBytes`. */
  tooLarge(bytes: number): CloudflareApiError;
  /** The error for a body that does not parse. */
  malformed(detail: string): CloudflareApiError;
}

/** The declared `Content-Length`, or undefined when the body is chunked or the header is unusable. */
export function declaredLength(request: IncomingMessage): number | undefined {
  const header = request.headers["content-length"];
  if (header === undefined || !/^\d+$/.test(header)) return undefined;
  return Number(header);
}

/**
 * Lets the rest of a body that will not be used flow by unread, so the client, still sending, sees
 * the answer and the connection can serve the next request.
 */
export function discardBody(request: IncomingMessage): void {
  if (request.readableEnded) return;
  request.resume();
}

/**
 * Reads a body that has to be whole to be used (JSON), refusing it as soon as it passes
 * `maxBytes`: a declared length is checked before anything is read.
 */
export async function readBodyBytes(request: IncomingMessage, errors: JsonBodyErrors): Promise<Buffer> {
  const declared = declaredLength(request);
  if (declared !== undefined && declared > errors.maxBytes) {
    discardBody(request);
    throw errors.tooLarge(declared);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    total += chunk.byteLength;
    if (total > errors.maxBytes) {
      discardBody(request);
      throw errors.tooLarge(total);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

/** Reads and parses a JSON body. An empty body is malformed, as `JSON.parse("")` is. */
export async function readJsonBody(request: IncomingMessage, errors: JsonBodyErrors): Promise<unknown> {
  const bytes = await readBodyBytes(request, errors);
  try {
    return JSON.parse(bytes.toString("utf8")) as unknown;
  } catch (error) {
    throw errors.malformed(error instanceof Error ? error.message : String(error));
  }
}
