import type { ServerResponse } from "node:http";
import type { CloudflareApiError } from "./api-error.js";

/** One entry of `errors` or `messages` in Cloudflare's envelope. */
export interface ApiMessage {
  readonly code: number;
  readonly message: string;
}

/** Cloudflare's v4 response envelope, as every JSON answer of `/client/v4` is shaped. */
export interface ApiEnvelope<Result> {
  readonly success: boolean;
  readonly errors: readonly ApiMessage[];
  readonly messages: readonly ApiMessage[];
  readonly result: Result | null;
  readonly result_info?: Readonly<Record<string, unknown>>;
}

/** Where an answer goes: the response, and whether the request was a HEAD (headers only). */
export interface ApiResponder {
  readonly response: ServerResponse;
  readonly head: boolean;
}

function writeJson(target: ApiResponder, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  const text = JSON.stringify(body);
  target.response.writeHead(status, {
    ...headers,
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
  });
  target.response.end(target.head ? undefined : text);
}

/** Answers `{ success: true, result }`, with `result_info` for paged or cursor-listed results. */
export function sendResult(target: ApiResponder, result: unknown, resultInfo?: Readonly<Record<string, unknown>>, status = 200): void {
  const envelope: ApiEnvelope<unknown> = { success: true, errors: [], messages: [], result, ...(resultInfo === undefined ? {} : { result_info: resultInfo }) };
  writeJson(target, status, envelope);
}

/** Answers a refused request with Cloudflare's failure envelope. */
export function sendError(target: ApiResponder, error: CloudflareApiError): void {
  const envelope: ApiEnvelope<never> = { success: false, errors: [{ code: error.code, message: error.message }], messages: [], result: null };
  writeJson(target, error.status, envelope, error.headers);
}
