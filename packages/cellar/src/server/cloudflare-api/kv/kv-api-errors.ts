import { API_ERROR_CODES } from "../api-error-codes.js";
import { CloudflareApiError } from "../api-error.js";

/** `KV <OP> failed: <status> <text>`: how the KV gateway reports what the KV service refused. */
const SERVICE_ERROR = /^KV [A-Z_]+ failed: (\d{3}) ([\s\S]*)$/;

/** `404 10009 get: 'key not found'`, Cloudflare's answer for a missing or expired key. */
export function keyNotFound(): CloudflareApiError {
  return new CloudflareApiError(404, API_ERROR_CODES.kvKeyNotFound, "get: 'key not found'");
}

/** `404 10013`: a namespace id this state does not know. */
export function namespaceNotFound(): CloudflareApiError {
  return new CloudflareApiError(404, API_ERROR_CODES.kvNamespaceNotFound, "namespace not found");
}

/** `400 10029`: a request KV cannot accept; `message` says why. */
export function invalidKVRequest(message: string): CloudflareApiError {
  return new CloudflareApiError(400, API_ERROR_CODES.kvInvalidRequest, message);
}

/** `413 10024`: a value, metadata or body over its limit; `message` gives the sizes. */
export function kvPayloadTooLarge(message: string): CloudflareApiError {
  return new CloudflareApiError(413, API_ERROR_CODES.kvPayloadTooLarge, message);
}

/** `400 6007`: a JSON body that does not parse. */
export function malformedJson(detail: string): CloudflareApiError {
  return new CloudflareApiError(400, API_ERROR_CODES.malformedJson, `Malformed JSON in request body: ${detail}`);
}

/**
 * The API error for what a KV gateway call threw. The gateway's validation keeps its status
 * (400, 413 for sizes, 414 for a key over 512 bytes, as the KV service answers) and its exact
 * message without the binding's `KV PUT failed: <status>` prefix; the binding's own `TypeError`s
 * (an empty or dot key) are 400s. Anything else is cellar's fault: a 500.
 */
export function kvApiError(error: unknown): CloudflareApiError {
  if (error instanceof CloudflareApiError) return error;
  if (error instanceof TypeError) return new CloudflareApiError(400, API_ERROR_CODES.kvInvalidRequest, error.message, { cause: error });
  const message = error instanceof Error ? error.message : String(error);
  const service = SERVICE_ERROR.exec(message);
  if (service !== null) {
    const status = Number(service[1]);
    const code = status === 413 ? API_ERROR_CODES.kvPayloadTooLarge : status >= 500 ? API_ERROR_CODES.internal : API_ERROR_CODES.kvInvalidRequest;
    return new CloudflareApiError(status, code, service[2]!, { cause: error });
  }
  return new CloudflareApiError(500, API_ERROR_CODES.internal, message, { cause: error });
}

/** Runs a gateway call, turning what it throws into the API's error. */
export async function callKV<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw kvApiError(error);
  }
}
