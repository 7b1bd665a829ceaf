/**
 * The runtime's error messages, verbatim (spec/durable-objects.md §2). Callers match on them, so
 * they live in one place and are never paraphrased.
 */
export const MESSAGES = Object.freeze({
  putUndefined: "put() called with undefined value.",
  putArguments:
    "put() may only be called with a single key-value pair and optional options as put(key, value, options) or with multiple key-value pairs and optional options as put(entries, options)",
  listLimit: "List limit must be positive.",
  listStartAndStartAfter: "list() cannot be called with both start and startAfter values.",
  deleteAllInTransaction: "Cannot call deleteAll() within a transaction",
  kvListInvalidated:
    "kv.list() iterator was invalidated because a new call to kv.list() was started. Only one kv.list() iterator can exist at a time.",
  kvNotSqlite:
    "The storage.kv (synchronous KV) API is only available for SQLite-backed Durable Objects, but this object's namespace is not declared to use SQLite. You can use the older, asynchronous interface via methods of `storage` itself (e.g. `storage.get()`). Alternatively, to enable SQLite, change `new_classes` to `new_sqlite_classes` within the 'migrations' field in your wrangler.jsonc or wrangler.toml file.",
  sqlNotSqlite:
    "This Durable Object is not backed by SQLite storage, so the SQL API is not available. SQL can be enabled on a new Durable Object class by using the `new_sqlite_classes` instead of `new_classes` under `[[migrations]]` in your wrangler.toml, but an already-deployed class cannot be converted to SQLite (except by deleting the existing data).",
  transactionSyncNotSqlite: "Durable Object is not backed by SQL.",
  bindingsOnNonLast: "When executing multiple SQL statements in a single call, only the last statement can have parameters.",
  oneNoResults: "Expected exactly one result from SQL query, but got no results.",
  oneManyResults: "Expected exactly one result from SQL query, but got multiple results.",
  wrongBindingCount: "Wrong number of parameter bindings for SQL query.",
  cursorRerun:
    "SQL cursor was closed because the same statement was executed again. If you need to run multiple copies of the same statement concurrently, you must create multiple prepared statement objects.",
  bigintBinding: "Cannot convert a BigInt value to a number",
  sqlTransaction:
    "To execute a transaction, please use the state.storage.transaction() or state.storage.transactionSync() APIs instead of the SQL BEGIN TRANSACTION or SAVEPOINT statements. The JavaScript API is safer because it will automatically roll back on exceptions, and because it interacts correctly with Durable Objects' automatic atomic write coalescing.",
  notAuthorized: "not authorized: SQLITE_AUTH",
  tooBig: "string or blob too big: SQLITE_TOOBIG",
  statementTooLong: "statement too long: SQLITE_TOOBIG",
  noPointInTimeRecovery: "This Durable Object's storage back-end does not implement point-in-time recovery.",
  outerRollbackWhileNested: "Cannot roll back an outer transaction while a nested transaction is still running.",
  invalidIdFormat: "Invalid Durable Object ID: must be 64 hex digits",
  idWrongNamespace: "Durable Object ID is not valid for this namespace.",
  setAlarmNotPositive: "setAlarm() cannot be called with an alarm time <= 0",
  deleteAllDurableObjects: "Application called deleteAllDurableObjects().",
  facetAlarm: "Facets currently cannot set alarms.",
  facetNameTooLong: "Facet name is too long (max 256 characters).",
  facetNameEmpty: "Facet name cannot be empty",
  facetDepth: "Facet nesting depth limit exceeded. The maximum depth including the root Durable Object is 4.",
  facetDeleted: "Facet was deleted.",
  setAlarmWithoutHandler: "Your Durable Object class must have an alarm() handler in order to call setAlarm()",
});

/** `Keys cannot be larger than 2048 bytes. A key of size N was provided.` (KV mode). */
export function keyTooLarge(limit: number, size: number): RangeError {
  return new RangeError(`Keys cannot be larger than ${limit} bytes. A key of size ${size} was provided.`);
}

/** `Values cannot be larger than 131072 bytes. A value of size N was provided.` (KV mode). */
export function valueTooLarge(limit: number, size: number): RangeError {
  return new RangeError(`Values cannot be larger than ${limit} bytes. A value of size ${size} was provided.`);
}

/** `Maximum number of key value pairs is 128. N pairs were provided.` (KV mode). */
export function tooManyKeys(limit: number, count: number): RangeError {
  return new RangeError(`Maximum number of key value pairs is ${limit}. ${count} pairs were provided.`);
}

/** `Cannot <op> on rolled back transaction`. */
export function rolledBack(op: string): Error {
  return new Error(`Cannot ${op} on rolled back transaction`);
}

/** The error for a `txn` used after its closure returned. */
export function alreadyCommitted(op: string): Error {
  return new Error(`Cannot call ${op} on transaction that has already committed: did you move \`txn\` outside of the closure?`);
}
