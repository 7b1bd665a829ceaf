/**
 * The `metadata` column of a cache entry, exactly as Miniflare 4 writes it (spec cache.md §5):
 * `{"headers":[[name,value],...],"status":n,"size":n}`. The body lives only in the blob.
 */
export interface CacheMetadata {
  /** The stored response headers, lower-case names, in order. */
  readonly headers: readonly (readonly [string, string])[];
  /** The response status. */
  readonly status: number;
  /** The body's length in bytes; always the blob's length here (C5). */
  readonly size: number;
}

/** The JSON text stored for `metadata`, with Miniflare's key order. */
export function serialiseMetadata(metadata: CacheMetadata): string {
  return JSON.stringify({ headers: metadata.headers, status: metadata.status, size: metadata.size });
}

/**
 * Reads a stored `metadata` column; `undefined` when it is missing or not the shape above (a
 * damaged or foreign row), which the cache treats as a miss.
 */
export function parseMetadata(text: string | null): CacheMetadata | undefined {
  if (text === null) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const { headers, status, size } = (value ?? {}) as Partial<Record<keyof CacheMetadata, unknown>>;
  if (!Array.isArray(headers) || !headers.every(isHeaderPair)) return undefined;
  if (!Number.isInteger(status) || !Number.isSafeInteger(size) || (size as number) < 0) return undefined;
  return { headers, status: status as number, size: size as number };
}

function isHeaderPair(pair: unknown): pair is [string, string] {
  return Array.isArray(pair) && pair.length === 2 && typeof pair[0] === "string" && typeof pair[1] === "string";
}
