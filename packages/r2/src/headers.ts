/**
 * True for a `Headers` instance. Duck-typed as well, so headers from another realm or a
 * polyfill are accepted; an options object (`R2Conditional`, `R2Range`, `R2HTTPMetadata`) never
 * has these methods.
 */
export function isHeaders(value: unknown): value is Headers {
  if (typeof Headers !== "undefined" && value instanceof Headers) return true;
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Partial<Headers>;
  return typeof candidate.get === "function" && typeof candidate.has === "function" && typeof candidate.forEach === "function";
}
