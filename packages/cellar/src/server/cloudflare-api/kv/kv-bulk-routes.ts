import type { ApiRequest } from "../api-route.js";
import { sendResult } from "../api-response.js";
import { readJsonBody, type JsonBodyErrors } from "../read-body.js";
import { callKV, kvPayloadTooLarge, malformedJson } from "./kv-api-errors.js";
import { parseBulkDeleteKeys, parseBulkRead, parseBulkWrites } from "./kv-bulk-body.js";
import { existingNamespace, namespaceForWrite } from "./kv-namespaces.js";

/** Cloudflare's limit on a whole bulk write request: 100 MB. */
const MAX_BULK_WRITE_BYTES = 100 * 1000 * 1000;
/** 10,000 keys of at most 512 bytes, JSON-escaped, fit well within this. */
const MAX_BULK_KEYS_BYTES = 64 * 1024 * 1024;

/** Writes of different keys run this many at a time; writes to one key still commit in order. */
const BULK_CONCURRENCY = 16;

function bodyErrors(maxBytes: number): JsonBodyErrors {
  return { maxBytes, tooLarge: (bytes) => kvPayloadTooLarge(`Request body of ${bytes} bytes exceeds limit of ${maxBytes}.`), malformed: malformedJson };
}

/** Runs `operation` on every item, a few at a time; resolves with the items whose operation failed. */
async function forEachLimited<Item>(items: readonly Item[], operation: (item: Item) => Promise<void>): Promise<Item[]> {
  const failed: Item[] = [];
  for (let start = 0; start < items.length; start += BULK_CONCURRENCY) {
    const batch = items.slice(start, start + BULK_CONCURRENCY);
    const outcomes = await Promise.allSettled(batch.map(operation));
    outcomes.forEach((outcome, index) => {
      if (outcome.status === "rejected") failed.push(batch[index]!);
    });
  }
  return failed;
}

/**
 * `PUT /bulk`: up to 10,000 pairs. Every pair is checked first, so bad input changes nothing; a
 * pair the store then fails to write (a disk error) is reported in `unsuccessful_keys`, as
 * Cloudflare reports keys to retry.
 */
export async function bulkWrite(request: ApiRequest): Promise<void> {
  const body = await readJsonBody(request.exchange.request, bodyErrors(MAX_BULK_WRITE_BYTES));
  const writes = parseBulkWrites(body, request.exchange.context.clock.now());
  const kv = await namespaceForWrite(request.state, request.params.namespace_id!);
  const failed = await forEachLimited(writes, (write) => kv.put(write.key, write.value, write.options));
  sendResult(request, { successful_key_count: writes.length - failed.length, unsuccessful_keys: failed.map((write) => write.key) });
}

/** `DELETE /bulk` and `POST /bulk/delete`: up to 10,000 key names, all checked before any is deleted. */
export async function bulkDelete(request: ApiRequest): Promise<void> {
  const kv = existingNamespace(request.state, request.params.namespace_id!);
  const body = await readJsonBody(request.exchange.request, bodyErrors(MAX_BULK_KEYS_BYTES));
  const keys = parseBulkDeleteKeys(body);
  const failed = await forEachLimited(keys, (key) => kv.delete(key));
  sendResult(request, { successful_key_count: keys.length - failed.length, unsuccessful_keys: failed });
}

/**
 * `POST /bulk/get {keys, type, withMetadata}`: up to 100 keys as text or parsed JSON, through the
 * gateway's bulk read (its checks and messages: key count, type, JSON that does not parse).
 * Missing keys map to `null`.
 */
export async function bulkRead(request: ApiRequest): Promise<void> {
  const kv = existingNamespace(request.state, request.params.namespace_id!);
  const body = await readJsonBody(request.exchange.request, bodyErrors(MAX_BULK_KEYS_BYTES));
  const { keys, type, withMetadata } = parseBulkRead(body);
  // The gateway refuses any type but "text" and "json" with the service's message.
  const options = { type: type as "text" };
  const values: Map<string, unknown> = withMetadata ? await callKV(() => kv.getWithMetadata(keys, options)) : await callKV(() => kv.get(keys, options));
  sendResult(request, { values: Object.fromEntries(values) });
}
