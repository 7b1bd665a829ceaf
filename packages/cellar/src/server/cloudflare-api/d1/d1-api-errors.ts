import { API_ERROR_CODES } from "../api-error-codes.js";
import { CloudflareApiError } from "../api-error.js";

/** `400 7400`: a body that is not JSON, or not `{ sql, params? }` / `{ batch: [...] }`. */
export function malformedD1Request(detail: string): CloudflareApiError {
  return new CloudflareApiError(400, API_ERROR_CODES.d1MalformedRequest, `The request is malformed: ${detail}`);
}

/** `404 7404`: a database id this state does not know. */
export function databaseNotFound(id: string): CloudflareApiError {
  return new CloudflareApiError(404, API_ERROR_CODES.d1DatabaseNotFound, `The database ${id} could not be found`);
}

/**
 * `400 7500`: the SQL failed. The message is D1's without the binding's `D1_ERROR: ` prefix, as
 * the REST API reports it: `no such table: nope: SQLITE_ERROR`. Other D1 texts (`D1_TYPE_ERROR:
 * …`, `No SQL statements detected.`) are kept whole.
 */
export function d1QueryError(error: unknown): CloudflareApiError {
  if (error instanceof CloudflareApiError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const bare = message.startsWith("D1_ERROR: ") ? message.slice("D1_ERROR: ".length) : message;
  return new CloudflareApiError(400, API_ERROR_CODES.d1QueryError, bare, { cause: error });
}
