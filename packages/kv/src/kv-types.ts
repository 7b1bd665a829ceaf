import type { KVValueStream } from "./decode-value.js";

/*
 * The Workers `KVNamespace` API, declared here with the same overloads as
 * `@cloudflare/workers-types`, so a cellar namespace can be passed wherever Workers code expects
 * `env.MY_KV` (a type test checks the assignment) without this package depending on the
 * Workers type definitions, whose globals clash with Node's.
 */

/** Options of a single or bulk `get`. */
export interface KVNamespaceGetOptions<Type> {
  /** How to decode the value; `"text"` by default. */
  type: Type;
  /** Validated (at least 30) and otherwise ignored: locally every read sees the latest write. */
  cacheTtl?: number;
}

/** Options of `put`. */
export interface KVNamespacePutOptions {
  /** Absolute expiry in seconds since the epoch; at least 60 s ahead. Ignored when `expirationTtl` is given. */
  expiration?: number;
  /** Expiry in seconds from now; at least 60. */
  expirationTtl?: number;
  /** Any JSON-serialisable value, at most 1024 bytes as JSON; `null` for none. */
  metadata?: any | null;
}

/** Options of `list`. */
export interface KVNamespaceListOptions {
  /** Keys per page, 1 to 1000; 1000 when absent, 0 or negative. */
  limit?: number;
  /** Only keys that start with this, byte for byte. */
  prefix?: string | null;
  /** From a previous page's `cursor`. */
  cursor?: string | null;
}

/** One key in a `list` page. Fields with nothing stored are absent. */
export interface KVNamespaceListKey<Metadata, Key extends string = string> {
  name: Key;
  /** Seconds since the epoch, rounded down. */
  expiration?: number;
  metadata?: Metadata;
}

/** A `list` page: a `cursor` exactly when more keys follow. */
export type KVNamespaceListResult<Metadata, Key extends string = string> =
  | { list_complete: false; keys: KVNamespaceListKey<Metadata, Key>[]; cursor: string; cacheStatus: string | null }
  | { list_complete: true; keys: KVNamespaceListKey<Metadata, Key>[]; cacheStatus: string | null };

/** What `getWithMetadata` returns; a miss is `{ value: null, metadata: null, cacheStatus: null }`. */
export interface KVNamespaceGetWithMetadataResult<Value, Metadata> {
  value: Value | null;
  metadata: Metadata | null;
  cacheStatus: string | null;
}

/**
 * Any readable stream: a web `ReadableStream` from Node, a polyfill or another realm. Streams are
 * recognised by their `getReader` method and must yield `ArrayBuffer`s or views.
 */
export interface KVPutStream {
  getReader(): any;
}

/** Values `put` accepts: the Workers types, plus `Blob` and `null` (an empty value). */
export type KVPutValue = string | ArrayBuffer | ArrayBufferView | ReadableStream | KVPutStream | Blob | null;

/** The Workers `KVNamespace` binding API. */
export interface KVNamespaceApi<Key extends string = string> {
  /**
   * Reads a value, decoded as `type` (`"text"` by default); `null` when missing or expired. With
   * an array of 1 to 100 keys, a bulk read: a `Map` in key order, `"text"` or `"json"` only.
   */
  get(key: Key, options?: Partial<KVNamespaceGetOptions<undefined>>): Promise<string | null>;
  get(key: Key, type: "text"): Promise<string | null>;
  get<ExpectedValue = unknown>(key: Key, type: "json"): Promise<ExpectedValue | null>;
  get(key: Key, type: "arrayBuffer"): Promise<ArrayBuffer | null>;
  get(key: Key, type: "stream"): Promise<KVValueStream | null>;
  get(key: Key, options?: KVNamespaceGetOptions<"text">): Promise<string | null>;
  get<ExpectedValue = unknown>(key: Key, options?: KVNamespaceGetOptions<"json">): Promise<ExpectedValue | null>;
  get(key: Key, options?: KVNamespaceGetOptions<"arrayBuffer">): Promise<ArrayBuffer | null>;
  get(key: Key, options?: KVNamespaceGetOptions<"stream">): Promise<KVValueStream | null>;
  get(key: Array<Key>, type: "text"): Promise<Map<string, string | null>>;
  get<ExpectedValue = unknown>(key: Array<Key>, type: "json"): Promise<Map<string, ExpectedValue | null>>;
  get(key: Array<Key>, options?: Partial<KVNamespaceGetOptions<undefined>>): Promise<Map<string, string | null>>;
  get(key: Array<Key>, options?: KVNamespaceGetOptions<"text">): Promise<Map<string, string | null>>;
  get<ExpectedValue = unknown>(
    key: Array<Key>,
    options?: KVNamespaceGetOptions<"json">,
  ): Promise<Map<string, ExpectedValue | null>>;

  /** A page of live keys in UTF-8 byte order, with their expiration (seconds) and metadata. */
  list<Metadata = unknown>(options?: KVNamespaceListOptions): Promise<KVNamespaceListResult<Metadata, Key>>;

  /**
   * Stores a value (at most 25 MiB) with optional expiry and metadata; resolves once it is
   * durable. Writes to one key take effect in call order.
   */
  put(key: Key, value: KVPutValue, options?: KVNamespacePutOptions): Promise<void>;

  /**
   * Like `get`, with the metadata: `{ value, metadata, cacheStatus: null }`. In bulk, a `Map` of
   * `{ value, metadata }` for every present key and `null` for missing ones.
   */
  getWithMetadata<Metadata = unknown>(
    key: Key,
    options?: Partial<KVNamespaceGetOptions<undefined>>,
  ): Promise<KVNamespaceGetWithMetadataResult<string, Metadata>>;
  getWithMetadata<Metadata = unknown>(key: Key, type: "text"): Promise<KVNamespaceGetWithMetadataResult<string, Metadata>>;
  getWithMetadata<ExpectedValue = unknown, Metadata = unknown>(
    key: Key,
    type: "json",
  ): Promise<KVNamespaceGetWithMetadataResult<ExpectedValue, Metadata>>;
  getWithMetadata<Metadata = unknown>(
    key: Key,
    type: "arrayBuffer",
  ): Promise<KVNamespaceGetWithMetadataResult<ArrayBuffer, Metadata>>;
  getWithMetadata<Metadata = unknown>(
    key: Key,
    type: "stream",
  ): Promise<KVNamespaceGetWithMetadataResult<KVValueStream, Metadata>>;
  getWithMetadata<Metadata = unknown>(
    key: Key,
    options: KVNamespaceGetOptions<"text">,
  ): Promise<KVNamespaceGetWithMetadataResult<string, Metadata>>;
  getWithMetadata<ExpectedValue = unknown, Metadata = unknown>(
    key: Key,
    options: KVNamespaceGetOptions<"json">,
  ): Promise<KVNamespaceGetWithMetadataResult<ExpectedValue, Metadata>>;
  getWithMetadata<Metadata = unknown>(
    key: Key,
    options: KVNamespaceGetOptions<"arrayBuffer">,
  ): Promise<KVNamespaceGetWithMetadataResult<ArrayBuffer, Metadata>>;
  getWithMetadata<Metadata = unknown>(
    key: Key,
    options: KVNamespaceGetOptions<"stream">,
  ): Promise<KVNamespaceGetWithMetadataResult<KVValueStream, Metadata>>;
  getWithMetadata<Metadata = unknown>(
    key: Array<Key>,
    type: "text",
  ): Promise<Map<string, KVNamespaceGetWithMetadataResult<string, Metadata>>>;
  getWithMetadata<ExpectedValue = unknown, Metadata = unknown>(
    key: Array<Key>,
    type: "json",
  ): Promise<Map<string, KVNamespaceGetWithMetadataResult<ExpectedValue, Metadata>>>;
  getWithMetadata<Metadata = unknown>(
    key: Array<Key>,
    options?: Partial<KVNamespaceGetOptions<undefined>>,
  ): Promise<Map<string, KVNamespaceGetWithMetadataResult<string, Metadata>>>;
  getWithMetadata<Metadata = unknown>(
    key: Array<Key>,
    options?: KVNamespaceGetOptions<"text">,
  ): Promise<Map<string, KVNamespaceGetWithMetadataResult<string, Metadata>>>;
  getWithMetadata<ExpectedValue = unknown, Metadata = unknown>(
    key: Array<Key>,
    options?: KVNamespaceGetOptions<"json">,
  ): Promise<Map<string, KVNamespaceGetWithMetadataResult<ExpectedValue, Metadata>>>;

  /** Deletes a key; succeeds whether or not it exists. Resolves once the delete is durable. */
  delete(key: Key): Promise<void>;
}
