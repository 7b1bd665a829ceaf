import type { CellarKVNamespace, KVEntry } from "@cellar/kv";
import { API_ERROR_CODES } from "../api-error-codes.js";
import { CloudflareApiError } from "../api-error.js";
import type { ApiRequest } from "../api-route.js";
import { sendResult } from "../api-response.js";
import { callKV, keyNotFound } from "./kv-api-errors.js";
import { existingNamespace } from "./kv-namespaces.js";
import { checkKeyName } from "./kv-write-checks.js";

/** The REST API's page size for keys: 1000 by default and at most, at least 10 (Cloudflare's documented range). */
const MIN_LIMIT = 10;
const MAX_LIMIT = 1000;

function limitOf(query: URLSearchParams): number {
  const text = query.get("limit");
  if (text === null || text === "") return MAX_LIMIT;
  const limit = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(limit >= MIN_LIMIT && limit <= MAX_LIMIT)) {
    throw new CloudflareApiError(400, API_ERROR_CODES.kvInvalidLimit, `Invalid limit of ${text}. Please specify an integer from ${MIN_LIMIT} to ${MAX_LIMIT}.`);
  }
  return limit;
}

/**
 * `GET /keys?prefix&limit&cursor`: one page of live keys in UTF-8 byte order. `result_info.cursor`
 * is empty on the last page, as Cloudflare answers (the `cloudflare` client stops on it).
 */
export async function listKeys(request: ApiRequest): Promise<void> {
  const kv = existingNamespace(request.state, request.params.namespace_id!);
  const limit = limitOf(request.query);
  const prefix = request.query.get("prefix");
  const cursor = request.query.get("cursor");
  const page = await callKV(() => kv.list({ limit, prefix: prefix === "" ? null : prefix, cursor: cursor === "" ? null : cursor }));
  sendResult(request, page.keys, { count: page.keys.length, cursor: page.list_complete ? "" : page.cursor });
}

/** A key's entry (value stream, metadata, expiration) in one read, or `404 10009`. */
export async function readEntry(kv: CellarKVNamespace, key: string): Promise<KVEntry> {
  checkKeyName(key);
  const entry = await callKV(() => kv.getEntry(key));
  if (entry === null) throw keyNotFound();
  return entry;
}

/** `GET /metadata/:key_name`: the key's metadata, `null` when it has none; `404 10009` when it is missing. */
export async function readMetadata(request: ApiRequest): Promise<void> {
  const kv = existingNamespace(request.state, request.params.namespace_id!);
  const entry = await readEntry(kv, request.params.key_name!);
  await entry.value.cancel();
  sendResult(request, entry.metadata);
}
