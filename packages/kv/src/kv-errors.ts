/** The service operations whose errors the binding reports, as in `KV <OP> failed: ...`. */
export type KVOperation = "GET" | "PUT" | "DELETE" | "GET_BULK";

/** The runtime cuts a service's status text to this many characters. */
const MAX_STATUS_TEXT_LENGTH = 512;

/**
 * The error the Workers binding throws when the KV service answers with an error status:
 * a plain `Error` whose message is `KV <OP> failed: <status> <statusText>`. Plain on purpose:
 * code written against the runtime compares messages and `instanceof Error`, and a subclass
 * would make `toEqual(new Error(...))` fail.
 */
export function kvServiceError(operation: KVOperation, status: number, statusText: string): Error {
  return new Error(`KV ${operation} failed: ${status} ${statusText.slice(0, MAX_STATUS_TEXT_LENGTH)}`);
}

/**
 * A live entry whose value blob is missing from the blob store (spec K5). Miniflare answers
 * such a `get` with `null` while `list` still shows the key; cellar fails loudly instead and
 * keeps the row, so nothing is lost silently. Restore the blob, or `delete` the key.
 */
export class KVIntegrityError extends Error {
  /** Stable code to branch on. */
  readonly code = "ERR_KV_BLOB_MISSING";
  /** The namespace id (or the name given to `createKVNamespace`). */
  readonly namespace: string;
  /** The key whose value is missing. */
  readonly key: string;
  /** The blob id the entry points to. */
  readonly blobId: string;

  constructor(namespace: string, key: string, blobId: string) {
    super(
      `KV namespace ${JSON.stringify(namespace)} is inconsistent: key ${JSON.stringify(key)} points to blob ` +
        `${blobId}, which is missing from the blob store. The entry was kept; restore the blob or delete the key.`,
    );
    this.name = "KVIntegrityError";
    this.namespace = namespace;
    this.key = key;
    this.blobId = blobId;
  }
}
