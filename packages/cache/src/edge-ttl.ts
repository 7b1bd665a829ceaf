const MINUTE = 60 * 1000;

/**
 * Cloudflare's default Edge TTL by status, for responses without `Cache-Control` or `Expires`
 * (Cloudflare docs, "Edge TTL"; spec C1). Any other status is not cached without explicit
 * freshness. Milliseconds.
 */
export const DEFAULT_EDGE_TTL: ReadonlyMap<number, number> = new Map([
  [200, 120 * MINUTE],
  [206, 120 * MINUTE],
  [301, 120 * MINUTE],
  [302, 20 * MINUTE],
  [303, 20 * MINUTE],
  [404, 3 * MINUTE],
  [410, 3 * MINUTE],
]);

/** The default Edge TTL of `status` in milliseconds, or `undefined` when such responses are not cached by default. */
export function defaultEdgeTtl(status: number): number | undefined {
  return DEFAULT_EDGE_TTL.get(status);
}
