import type { SweepResult } from "@cellar/blob-store";
import { toBindingString } from "./binding-values.js";
import { bulkGet } from "./bulk-get.js";
import { bytesToStream, decodeBytes, type KVValueStream } from "./decode-value.js";
import { assertValueType, parseGetOptions, validateCacheTtl } from "./get-options.js";
import { resolveKVLimits, type KVResolvedLimits } from "./kv-limits.js";
import type { KVNamespaceOptions, KVSweepOptions } from "./kv-namespace-options.js";
import { KVStore, type StoredValue } from "./kv-store.js";
import type { KVNamespaceApi, KVNamespaceListKey, KVNamespaceListResult } from "./kv-types.js";
import { encodeCursor } from "./list-cursor.js";
import { parseListOptions } from "./list-options.js";
import { sendPutOptions, validatePutOptions } from "./put-options.js";
import { toPutValue } from "./put-value.js";
import { compareUtf8, prefixUpperBound } from "@cellar/metadata-store";
import { validateKeyLength, validateKeyName } from "./validate-key.js";

/** A KV namespace: the Workers `KVNamespace` API plus maintenance. */
export interface CellarKVNamespace extends KVNamespaceApi {
  /**
   * Deletes every expired entry and its blob now; resolves with how many. Never needed for
   * correctness (expired entries are never returned, and each `list` purges a bounded batch),
   * only to reclaim space at once.
   */
  purgeExpired(): Promise<number>;
  /**
   * Deletes orphan blobs: files no entry references, older than `graceMs` (default one hour),
   * left by a crash between a blob write and its commit, or by a blob delete that failed (K6).
   * Waits for this namespace's writes in flight first. Resolves with what the blob store removed.
   */
  sweep(options?: KVSweepOptions): Promise<SweepResult>;
  /**
   * Resolves once every write called so far has committed (or failed) and every old blob it
   * replaced has been deleted. Writes resolve without waiting for those deletes, which run in
   * the background as in Miniflare; call this before counting blob files.
   */
  idle(): Promise<void>;
  /**
   * One key's value as a stream, with its metadata and expiration, from one read: what tools
   * outside a Worker (a REST API, a CLI) show and the Workers API has no call for. Validates the
   * key as `get` does; `null` when the key is missing or expired.
   */
  getEntry(key: string): Promise<KVEntry | null>;
  /**
   * Waits like {@link idle}, then refuses further calls. Does not close the database or the
   * blob store, which belong to the caller. Idempotent.
   */
  close(): Promise<void>;
}

/** What {@link CellarKVNamespace.getEntry} reads. */
export interface KVEntry {
  readonly value: KVValueStream;
  /** The metadata stored with the value, parsed; `null` when none. */
  readonly metadata: unknown;
  /** Seconds since the epoch, when the key expires. */
  readonly expiration: number | undefined;
}

const DEFAULT_PURGE_BATCH_SIZE = 100;
const DEFAULT_VALUE_CACHE_SIZE = 8 * 1024 * 1024;
const defaultLogger = { warn: (message: string, error?: unknown) => console.warn(message, error) };

/**
 * Creates a Workers KV namespace over a SQLite database and a blob store, with production
 * semantics: the runtime's validation and messages, UTF-8 key order, expiry, and the local
 * deviations of spec §6 (K2-K10). The database gets Miniflare 4's `_mf_entries` table, so a
 * persisted namespace is readable by `wrangler dev` and the other way round.
 *
 * @throws {TypeError} for missing stores or invalid options
 * @throws {SqlError} when the table cannot be created (the database is read-only, busy, ...)
 */
export function createKVNamespace(options: KVNamespaceOptions): CellarKVNamespace {
  const { metadata, blobs } = options ?? {};
  if (typeof metadata?.prepare !== "function") throw new TypeError("createKVNamespace needs a metadata SqlDatabase");
  if (typeof blobs?.put !== "function") throw new TypeError("createKVNamespace needs a BlobStore");
  const purgeBatchSize = options.purgeBatchSize ?? DEFAULT_PURGE_BATCH_SIZE;
  const valueCacheSize = options.valueCacheSize ?? DEFAULT_VALUE_CACHE_SIZE;
  for (const [name, value] of [
    ["purgeBatchSize", purgeBatchSize],
    ["valueCacheSize", valueCacheSize],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 0) throw new TypeError(`${name} must be a non-negative integer, got ${String(value)}`);
  }
  const limits = resolveKVLimits(options.limits);
  const name = options.name ?? "KV";
  const store = new KVStore({
    metadata,
    blobs,
    clock: options.clock ?? { now: () => Date.now() },
    name,
    logger: options.logger ?? defaultLogger,
    maxValueSize: limits.maxValueSize,
    purgeBatchSize,
    valueCacheSize,
  });
  return new KVNamespaceGateway(store, limits, name) as unknown as CellarKVNamespace;
}

/**
 * The binding half: converts and validates arguments exactly as the Workers binding and the KV
 * service do (binding checks throw `TypeError`, service checks `Error("KV <OP> failed: ...")`),
 * and shapes results. Every method returns a promise; nothing throws synchronously.
 */
class KVNamespaceGateway {
  readonly #store: KVStore;
  readonly #limits: KVResolvedLimits;
  readonly #name: string;
  #closed = false;

  constructor(store: KVStore, limits: KVResolvedLimits, name: string) {
    this.#store = store;
    this.#limits = limits;
    this.#name = name;
  }

  get(key: unknown, options?: unknown): Promise<unknown> {
    return Array.isArray(key) ? this.#getBulk(key, options, false) : this.#getOne(key, options, false);
  }

  getWithMetadata(key: unknown, options?: unknown): Promise<unknown> {
    return Array.isArray(key) ? this.#getBulk(key, options, true) : this.#getOne(key, options, true);
  }

  async put(rawKey: unknown, rawValue: unknown, rawOptions?: unknown): Promise<void> {
    this.#assertOpen();
    const key = toBindingString(rawKey);
    validateKeyName(key);
    validateKeyLength("PUT", key, this.#limits.maxKeySize);
    const sent = sendPutOptions(rawOptions);
    const value = toPutValue(rawValue);
    const { expiration, metadata } = validatePutOptions(sent, this.#store.now(), this.#limits);
    // Synchronous up to here: the key's turn is taken when `put` is called (K3).
    await this.#store.write(key, value, expiration, metadata);
  }

  async delete(rawKey: unknown): Promise<void> {
    this.#assertOpen();
    const key = toBindingString(rawKey);
    validateKeyName(key);
    validateKeyLength("DELETE", key, this.#limits.maxKeySize);
    await this.#store.delete(key);
  }

  async list(rawOptions?: unknown): Promise<KVNamespaceListResult<unknown>> {
    this.#assertOpen();
    const { prefix, startAfter, limit } = parseListOptions(rawOptions, this.#limits);
    // Start at the prefix, or after the cursor's key when that lies further on.
    const afterCursor = startAfter !== "" && compareUtf8(startAfter, prefix) >= 0;
    const rows = await this.#store.list(afterCursor ? startAfter : prefix, !afterCursor, prefixUpperBound(prefix), limit + 1);
    const more = rows.length > limit;
    if (more) rows.length = limit;
    const keys = rows.map(([name, expiration, metadata]) => {
      const listed: KVNamespaceListKey<unknown> = { name };
      if (expiration !== null) listed.expiration = Math.floor(expiration / 1000);
      if (metadata !== null) listed.metadata = JSON.parse(metadata);
      return listed;
    });
    return more
      ? { keys, list_complete: false, cursor: encodeCursor(keys[keys.length - 1]!.name), cacheStatus: null }
      : { keys, list_complete: true, cacheStatus: null };
  }

  purgeExpired(): Promise<number> {
    return this.#run(() => this.#store.purgeExpired());
  }

  sweep(options?: KVSweepOptions): Promise<SweepResult> {
    return this.#run(() => this.#store.sweep(options));
  }

  idle(): Promise<void> {
    return this.#store.idle();
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#store.idle();
  }

  async #getOne(rawKey: unknown, rawOptions: unknown, withMetadata: boolean): Promise<unknown> {
    this.#assertOpen();
    const key = toBindingString(rawKey);
    const { type, cacheTtl } = parseGetOptions(rawOptions);
    validateKeyName(key);
    validateKeyLength("GET", key, this.#limits.maxKeySize);
    validateCacheTtl("GET", cacheTtl, this.#limits.minCacheTtl);
    // The runtime checks the type only once a value arrives; checking it first fails fast
    // on a typo whether or not the key exists.
    assertValueType(type);
    const stored = await this.#store.read(key, type === "stream" ? "stream" : "bytes");
    const value = stored === null ? null : type === "stream" ? toStream(stored) : decodeStored(stored, type);
    if (!withMetadata) return value;
    return { value, metadata: stored?.metadata == null ? null : JSON.parse(stored.metadata), cacheStatus: null };
  }

  async getEntry(rawKey: string): Promise<KVEntry | null> {
    this.#assertOpen();
    const key = toBindingString(rawKey);
    validateKeyName(key);
    validateKeyLength("GET", key, this.#limits.maxKeySize);
    const stored = await this.#store.read(key, "stream");
    if (stored === null) return null;
    return { value: toStream(stored), metadata: stored.metadata == null ? null : JSON.parse(stored.metadata), expiration: stored.expiration === null ? undefined : Math.floor(stored.expiration / 1000) };
  }

  async #getBulk(rawKeys: unknown[], rawOptions: unknown, withMetadata: boolean): Promise<Map<string, unknown>> {
    this.#assertOpen();
    const keys = rawKeys.map(toBindingString);
    return bulkGet(keys, parseGetOptions(rawOptions), withMetadata, this.#limits, async (key) => {
      const stored = await this.#store.read(key, "bytes");
      return stored === null ? null : { bytes: stored.bytes!, metadata: stored.metadata };
    });
  }

  async #run<T>(operation: () => Promise<T>): Promise<T> {
    this.#assertOpen();
    return operation();
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error(`KV namespace ${JSON.stringify(this.#name)} is closed`);
  }
}

function decodeStored(stored: StoredValue, type: "text" | "json" | "arrayBuffer"): unknown {
  // Cached bytes are shared: an ArrayBuffer handed to the caller must be a copy.
  const bytes = stored.shared && type === "arrayBuffer" ? stored.bytes!.slice() : stored.bytes!;
  return decodeBytes(bytes, type);
}

function toStream(stored: StoredValue): KVValueStream {
  if (stored.stream !== undefined) return stored.stream as KVValueStream;
  return bytesToStream(stored.shared ? stored.bytes!.slice() : stored.bytes!);
}
