/**
 * The error codes the API answers with. Where Cloudflare's API is known to use a code for the
 * case, that code is used (comments say where it comes from); where it is not, one catch-all per
 * product is used and the message carries the detail, so clients branching on a documented code
 * keep working and nothing pretends to a precision it does not have.
 */
export const API_ERROR_CODES = Object.freeze({
  /** No route matches the path at all: Cloudflare's `7000 No route for that URI`. */
  noRoute: 7000,
  /** The path has a method but not this one: Cloudflare's API-gateway code for a wrong method. */
  methodNotAllowed: 7001,
  /** A path under a known product that matches no resource: `7003 Could not route to …`. */
  couldNotRoute: 7003,
  /** A body that is not valid JSON, on a KV route: the API's general `6007 Malformed JSON in request body`. */
  malformedJson: 6007,

  /** KV: `page` is not a positive integer (KV API error list: "malformed page argument"). */
  kvMalformedPage: 10007,
  /** KV: `per_page` out of range (KV API error list: "malformed per_page argument"). */
  kvMalformedPerPage: 10008,
  /** KV: the key does not exist or has expired; message `get: 'key not found'`. */
  kvKeyNotFound: 10009,
  /** KV: the namespace id is not known (KV API error list: "namespace not found"). */
  kvNamespaceNotFound: 10013,
  /** KV: creating a namespace whose title is taken (KV API error list: "namespace already exists"). */
  kvNamespaceExists: 10014,
  /** KV: creating a namespace without a title (KV API error list: "missing title"). */
  kvMissingTitle: 10019,
  /** KV: a value, metadata or request body over its size limit (KV API error list: "payload too large"). */
  kvPayloadTooLarge: 10024,
  /** KV: a list `limit` out of range (KV API error list: "invalid limit argument"). */
  kvInvalidLimit: 10028,
  /**
   * KV: any other rejected request (a bad key name, expiration or TTL, a malformed bulk item or
   * multipart body). Cloudflare does not document a code per case, so they share this one; the
   * message is the KV service's own text.
   */
  kvInvalidRequest: 10029,
  /**
   * A failure inside cellar rather than in the request (e.g. a KV blob missing from disk). KV's
   * "service temporarily unavailable" code, used for any product whose own code is not known.
   */
  internal: 10001,

  /** D1: a request body that is not JSON or lacks `sql`. */
  d1MalformedRequest: 7400,
  /** D1: the database id is not known. */
  d1DatabaseNotFound: 7404,
  /** D1: creating a database whose name is taken. */
  d1DatabaseExists: 7502,
  /** D1: the SQL failed; the message is SQLite's, as D1 reports it (`no such table: t: SQLITE_ERROR`). */
  d1QueryError: 7500,
});
