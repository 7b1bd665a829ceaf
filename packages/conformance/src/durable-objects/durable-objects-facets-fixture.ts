/**
 * The structural shapes the facets suite drives (workerd's experimental `ctx.facets`, spec
 * durable-objects.md §1-§3), declared here so the suite depends on no implementation. There are
 * no isolates outside workerd, so a facet "stub" is its `id` and its `storage`.
 */
export interface FacetStorageLike {
  get(key: string): Promise<any>;
  put(key: string, value: unknown, options?: { allowUnconfirmed?: boolean }): Promise<void>;
  list(options?: Record<string, unknown>): Promise<Map<string, unknown>>;
  deleteAll(): Promise<void>;
  sync(): Promise<void>;
  getAlarm(): Promise<number | null>;
  setAlarm(scheduledTime: number | Date): Promise<void>;
  readonly sql: {
    exec(query: string, ...bindings: unknown[]): { toArray(): Record<string, unknown>[] };
  };
  readonly facets: FacetsLike;
}

/** What a facet sees as `ctx.id`: a Durable Object id, or any string its startup gave. */
export type FacetIdLike = { toString(): string } | string;

/** What a facet starts with (`ctx.facets.get`'s second argument, as an object or a callback). */
export interface FacetStartupLike {
  readonly id?: FacetIdLike;
}

/** A running facet. */
export interface FacetStubLike {
  readonly id: FacetIdLike;
  readonly storage: FacetStorageLike;
}

/** `ctx.facets` of a root object or of a facet. */
export interface FacetsLike {
  get(name: string, startup?: FacetStartupLike | (() => FacetStartupLike)): FacetStubLike;
  abort(name: string, reason: unknown): void;
  delete(name: string): void;
  clone(src: string, dst: string): Promise<void>;
}

/** The namespace the root objects come from. */
export interface FacetsNamespaceLike {
  idFromName(name: string): { toString(): string };
  get(id: { toString(): string }): { readonly id: { toString(): string }; readonly storage: FacetStorageLike };
}

/**
 * Backdoor into a file-backed namespace's directory (`<persist>/do/<uniqueKey>/`), read and
 * written without going through the namespace under test.
 */
export interface FacetsInspect {
  /** Names of the files in the namespace directory (none when it does not exist yet). */
  files(): Promise<string[]>;
  /** A file's bytes, or null when it does not exist. */
  readFile(name: string): Promise<Uint8Array | null>;
  /** Writes a file into the namespace directory, as another tool (workerd) would. */
  writeFile(name: string, bytes: Uint8Array): Promise<void>;
  /** The `_cf_KV` keys of a database file, read through a connection of its own; null without the file. */
  kvKeys(name: string): Promise<string[] | null>;
}

/** One namespace under test, fresh and isolated per test. */
export interface DurableObjectFacetsFixture {
  readonly namespace: FacetsNamespaceLike;
  /**
   * Waits for pending writes, closes everything and opens the namespace again over the same
   * files, returning the new namespace. Required with `capabilities.persistent`.
   */
  readonly reopen: (() => Promise<FacetsNamespaceLike>) | undefined;
  /** Required with `capabilities.persistent`. */
  readonly inspect: FacetsInspect | undefined;
  cleanup(): Promise<void>;
}

/** What `describeDurableObjectFacets` and its groups need. */
export interface DescribeDurableObjectFacetsOptions {
  /** Shown in test titles. */
  readonly name: string;
  readonly capabilities: {
    /** Facets live in files (`<rootId>.facets`, `<rootId>.<n>.sqlite`) that outlive a reopen. */
    readonly persistent: boolean;
  };
  readonly create: () => Promise<DurableObjectFacetsFixture>;
}
