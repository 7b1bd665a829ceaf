import { toBindingString } from "../binding-values.js";
import { bulkGet } from "../bulk-get.js";
import { bytesToStream, decodeBytes, type KVValueStream } from "../decode-value.js";
import { assertValueType, parseGetOptions, validateCacheTtl } from "../get-options.js";
import { kvServiceError } from "../kv-errors.js";
import { KV_LIMITS, type KVResolvedLimits } from "../kv-limits.js";
import type { KVNamespaceApi, KVNamespaceListResult } from "../kv-types.js";
import { encodeCursor } from "../list-cursor.js";
import { parseListOptions } from "../list-options.js";
import { sendPutOptions } from "../put-options.js";
import { toPutValue } from "../put-value.js";
import { compareUtf8 } from "@cellar/metadata-store";
import { validateKeyLength, validateKeyName } from "../validate-key.js";
import { SitesDirectory } from "./sites-directory.js";
import { createSitesFilter, type SitesFilterOptions } from "./sites-filter.js";
import { buildSitesManifest } from "./sites-manifest.js";
import { decodeSitesKey, encodeSitesKey } from "./sites-key.js";

/** Options of {@link createSitesNamespace}. */
export interface SitesNamespaceOptions extends SitesFilterOptions {
  /** The site's directory (`sitePath`). Files are always read fresh from here. */
  readonly root: string;
}

/** The read-only Workers Sites namespace (`__STATIC_CONTENT`) and its manifest. */
export interface SitesNamespace extends KVNamespaceApi {
  /**
   * `__STATIC_CONTENT_MANIFEST`: relative path → key, built when the namespace was created.
   * Bind `JSON.stringify(manifest)` as the manifest text (or module).
   */
  readonly manifest: Readonly<Record<string, string>>;
}

const limits: KVResolvedLimits = { ...KV_LIMITS };

/**
 * A read-only KV namespace serving a directory, as Miniflare's Workers Sites namespace does
 * (spec §4): keys are paths (raw, or manifest keys), values are the files, read fresh on every
 * call. Differences from Miniflare (spec K1): `put` fails at once with
 * `KV PUT failed: 405 Cannot put() with Workers Sites namespace` instead of hanging, and bulk
 * reads are served from the files like `get`. No call can hang, and nothing outside `root` is
 * ever read: `../x`, dotfiles and symbolic links leading out of the root all read as `null`.
 *
 * @throws {TypeError} when `root` is not an existing directory
 */
export function createSitesNamespace(options: SitesNamespaceOptions): SitesNamespace {
  const directory = new SitesDirectory(options.root);
  const filter = createSitesFilter(options);
  const manifest = Object.freeze(buildSitesManifest(directory, filter));
  return new SitesGateway(directory, filter, manifest) as unknown as SitesNamespace;
}

class SitesGateway {
  readonly manifest: Readonly<Record<string, string>>;
  readonly #directory: SitesDirectory;
  readonly #filter: (path: string) => boolean;

  constructor(directory: SitesDirectory, filter: (path: string) => boolean, manifest: Readonly<Record<string, string>>) {
    this.#directory = directory;
    this.#filter = filter;
    this.manifest = manifest;
  }

  get(key: unknown, options?: unknown): Promise<unknown> {
    return Array.isArray(key) ? this.#getBulk(key, options, false) : this.#getOne(key, options, false);
  }

  getWithMetadata(key: unknown, options?: unknown): Promise<unknown> {
    return Array.isArray(key) ? this.#getBulk(key, options, true) : this.#getOne(key, options, true);
  }

  async put(rawKey: unknown, rawValue: unknown, rawOptions?: unknown): Promise<void> {
    const key = toBindingString(rawKey);
    validateKeyName(key);
    validateKeyLength("PUT", key, limits.maxKeySize);
    sendPutOptions(rawOptions);
    const value = toPutValue(rawValue);
    // The body is refused unread; release its source instead of leaving it waiting (K1).
    if (value.kind === "stream") value.stream.cancel().catch(() => {});
    throw kvServiceError("PUT", 405, "Cannot put() with Workers Sites namespace");
  }

  async delete(rawKey: unknown): Promise<void> {
    const key = toBindingString(rawKey);
    validateKeyName(key);
    validateKeyLength("DELETE", key, limits.maxKeySize);
    throw kvServiceError("DELETE", 405, "Cannot delete() with Workers Sites namespace");
  }

  /**
   * Lists the files (dotfiles omitted) that pass the filter, named by their manifest keys in
   * UTF-8 byte order. `prefix` applies to those encoded names. A cursor whose key is not found
   * gives an empty last page, as in Miniflare.
   */
  async list(rawOptions?: unknown): Promise<KVNamespaceListResult<unknown>> {
    const { prefix, startAfter, limit } = parseListOptions(rawOptions, limits);
    const names = this.#directory
      .walk(false)
      .filter(this.#filter)
      .map(encodeSitesKey)
      .filter((name) => name.startsWith(prefix))
      .sort(compareUtf8);
    let start = 0;
    if (startAfter !== "") {
      const index = names.indexOf(startAfter);
      start = index === -1 ? names.length : index + 1;
    }
    const page = names.slice(start, start + limit);
    const keys = page.map((name) => ({ name }));
    return start + limit < names.length
      ? { keys, list_complete: false, cursor: encodeCursor(page[page.length - 1]!), cacheStatus: null }
      : { keys, list_complete: true, cacheStatus: null };
  }

  async #getOne(rawKey: unknown, rawOptions: unknown, withMetadata: boolean): Promise<unknown> {
    const key = toBindingString(rawKey);
    const { type, cacheTtl } = parseGetOptions(rawOptions);
    validateKeyName(key);
    validateKeyLength("GET", key, limits.maxKeySize);
    validateCacheTtl("GET", cacheTtl, limits.minCacheTtl);
    assertValueType(type);
    let value: unknown = null;
    if (type === "stream") {
      value = await this.#readStream(key);
    } else {
      const bytes = await this.#readBytes(key, "GET");
      if (bytes !== null) value = decodeBytes(bytes, type);
    }
    return withMetadata ? { value, metadata: null, cacheStatus: null } : value;
  }

  async #getBulk(rawKeys: unknown[], rawOptions: unknown, withMetadata: boolean): Promise<Map<string, unknown>> {
    const keys = rawKeys.map(toBindingString);
    return bulkGet(keys, parseGetOptions(rawOptions), withMetadata, limits, async (key) => {
      const bytes = await this.#readBytes(key, "GET_BULK");
      return bytes === null ? null : { bytes, metadata: null };
    });
  }

  async #readBytes(key: string, operation: "GET" | "GET_BULK"): Promise<Uint8Array | null> {
    const entry = await this.#resolve(key, operation);
    if (entry === undefined) return null;
    if (entry.kind === "directory") return new TextEncoder().encode(await this.#directory.listing(entry));
    return this.#directory.readFile(entry);
  }

  async #readStream(key: string): Promise<KVValueStream | null> {
    const entry = await this.#resolve(key, "GET");
    if (entry === undefined) return null;
    if (entry.kind === "directory") return bytesToStream(new TextEncoder().encode(await this.#directory.listing(entry)));
    return (await this.#directory.openStream(entry)) as KVValueStream;
  }

  /** Key → file, as Miniflare's Sites service maps it; `undefined` for anything not served. */
  async #resolve(key: string, operation: "GET" | "GET_BULK") {
    let path = key.startsWith("/") ? key.slice(1) : key;
    try {
      path = decodeSitesKey(path);
    } catch {
      throw kvServiceError(operation, 400, "Could not URL-decode key name");
    }
    if (path === "" || !this.#filter(path)) return undefined;
    return this.#directory.resolve(path);
  }
}
