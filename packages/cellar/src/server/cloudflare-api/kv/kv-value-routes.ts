import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeWebReadableStream } from "node:stream/web";
import type { KVNamespacePutOptions } from "@cellar/kv";
import type { ApiRequest } from "../api-route.js";
import { sendResult } from "../api-response.js";
import { declaredLength } from "../read-body.js";
import { toWebStream } from "../web-stream.js";
import { callKV, keyNotFound } from "./kv-api-errors.js";
import { readEntry } from "./kv-key-routes.js";
import { storeMultipartValue } from "./kv-multipart-value.js";
import { existingNamespace, namespaceForWrite } from "./kv-namespaces.js";
import { checkKeyName, checkValueLength, checkWriteOptions, expiryFromQuery } from "./kv-write-checks.js";

/** Headers of a value read: raw bytes, and `expiration` (seconds) when the key expires. */
function valueHeaders(expiration: number | undefined): Record<string, string> {
  return {
    "content-type": "application/octet-stream",
    "cache-control": "no-store",
    ...(expiration === undefined ? {} : { expiration: String(expiration) }),
  };
}

/** `GET /values/:key_name`: the value's bytes as they were stored (not JSON), streamed, with its expiration from the same read. */
export async function readValue(request: ApiRequest): Promise<void> {
  const kv = existingNamespace(request.state, request.params.namespace_id!);
  const entry = await readEntry(kv, request.params.key_name!);
  const { response } = request.exchange;
  if (request.head) {
    await entry.value.cancel();
    response.writeHead(200, valueHeaders(entry.expiration)).end();
    return;
  }
  response.writeHead(200, valueHeaders(entry.expiration));
  await pipeline(Readable.fromWeb(entry.value as NodeWebReadableStream<Uint8Array>), response);
}

/**
 * `PUT /values/:key_name?expiration&expiration_ttl`: the body is the value, raw (any content type
 * but multipart), or `multipart/form-data` with a `value` part and an optional JSON `metadata`
 * part. The write is checked (key, expiry, metadata, a declared length) before the body is read,
 * then the body streams into KV.
 */
export async function writeValue(request: ApiRequest): Promise<void> {
  const key = request.params.key_name!;
  const expiry = expiryFromQuery(request.query);
  const now = request.exchange.context.clock.now();
  checkKeyName(key);
  checkWriteOptions(expiry, now);
  const kv = await namespaceForWrite(request.state, request.params.namespace_id!);
  const body = request.exchange.request;
  const put = (value: ReadableStream<Uint8Array>, options: KVNamespacePutOptions): Promise<void> => callKV(() => kv.put(key, value, options));
  if ((body.headers["content-type"] ?? "").toLowerCase().startsWith("multipart/form-data")) {
    await storeMultipartValue(body, async (value, metadata) => {
      const options = { ...expiry, ...(metadata === undefined ? {} : { metadata }) };
      checkWriteOptions(options, now);
      await put(value, options);
    });
  } else {
    const length = declaredLength(body);
    if (length !== undefined) checkValueLength(length);
    const value = toWebStream(body);
    try {
      await put(value.stream, expiry);
    } catch (error) {
      value.discard();
      throw error;
    }
  }
  sendResult(request, null);
}

/** `DELETE /values/:key_name`: succeeds whether or not the key exists, as KV's delete does. */
export async function deleteValue(request: ApiRequest): Promise<void> {
  const kv = existingNamespace(request.state, request.params.namespace_id!);
  const key = request.params.key_name!;
  checkKeyName(key);
  await callKV(() => kv.delete(key));
  sendResult(request, null);
}
